"""Time vidreg's and MMAction2's 16x4 data pipelines side by side, interleaved, on the same files.

MMAction2 is not a dependency of vidreg: install it in a separate environment that also sees
vidreg, e.g.

    python -m venv --system-site-packages /tmp/mma         # sees the installed vidreg and torch
    /tmp/mma/bin/pip install mmaction2==1.2.0 --no-deps
    /tmp/mma/bin/pip install einops decord 'mmcv-lite==2.1.0'   # mmaction2 1.2.0 wants mmcv < 2.2

then, pinned to one core:

    taskset -c 0 /tmp/mma/bin/python benchmarks/benchmark_vs_mmaction2.py \\
        configs/bench_clip16x4.py --videos demo.mp4 --backend pyav \\
        --mmaction2-backend decord pyav --num 100
    ... --split test --num 20                                  # 10 clips x 3 crops
    ... --videos FRAMES_DIR --backend frames --mmaction2-backend rawframes --num 300

Samples alternate between the pipelines (vidreg, then each MMAction2 backend, in a rotating
order), so a busy or throttled machine slows them alike and the ratio stays fair. vidreg runs
the config's pipeline plus ``video_collate`` (what ``tools/benchmark_data.py`` times); MMAction2
runs the pipeline of its C3D / R(2+1)D / SlowOnly 16x4 configs: train = one random clip of 16
frames every 4th, Resize short side 128, RandomResizedCrop, Resize 112x112, Flip 0.5, FormatShape
NCTHW, PackActionInputs; test = 10 clips x ThreeCrop 128. A clip is one temporal clip (a test
video is 10). The time is this process's CPU time. The last line is ``speedup: X``, vidreg's
clips/s over the best MMAction2 backend's.
"""
import argparse
import os
import os.path as osp
import re
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import cv2
import torch
from mmengine.config import DictAction
from mmengine.registry import DefaultScope
from rich.console import Console
from rich.table import Table

from vidreg.apis.benchmark_data import load_samples, run_transforms, with_backend
from vidreg.config import ConfigError, load_config
from vidreg.datasets import video_collate
from vidreg.engine.entrypoint import run_cli
from vidreg.pipeline import Compose
from vidreg.utils import register_all_modules

MMACTION2_BACKENDS = ('decord', 'pyav', 'opencv', 'rawframes')
_INIT = dict(decord=dict(type='DecordInit', num_threads=1), pyav=dict(type='PyAVInit'),
             opencv=dict(type='OpenCVInit'), rawframes=None)
_DECODE = dict(decord=dict(type='DecordDecode'), pyav=dict(type='PyAVDecode'),
               opencv=dict(type='OpenCVDecode'), rawframes=dict(type='RawFrameDecode'))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='vidreg config, e.g. configs/bench_clip16x4.py')
    parser.add_argument('--videos', nargs='+', required=True, metavar='PATH',
                        help='video files (or frame folders, with --backend frames)')
    parser.add_argument('--split', choices=['train', 'test'], default='train')
    parser.add_argument('--backend', default='pyav', help="vidreg's OpenVideo backend")
    parser.add_argument('--mmaction2-backend', nargs='+', choices=MMACTION2_BACKENDS,
                        default=['decord', 'pyav'], metavar='NAME',
                        help=f'MMAction2 decoders to time ({", ".join(MMACTION2_BACKENDS)})')
    parser.add_argument('--num', type=int, default=50, help='samples (videos) per pipeline')
    parser.add_argument('--warmup', type=int, default=1, help='untimed rounds first')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='NAME=VALUE', help='override vidreg config values, e.g. '
                        'antialias=True')
    return parser.parse_args(argv)


def mmaction2_steps(backend: str, split: str) -> list:
    """MMAction2's 16x4 pipeline config for ``backend``."""
    test = split == 'test'
    steps = [_INIT[backend]] if _INIT[backend] else []
    steps += [dict(type='SampleFrames', clip_len=16, frame_interval=4,
                   num_clips=10 if test else 1, test_mode=test),
              _DECODE[backend], dict(type='Resize', scale=(-1, 128))]
    if test:
        steps.append(dict(type='ThreeCrop', crop_size=128))
    else:
        steps += [dict(type='RandomResizedCrop'),
                  dict(type='Resize', scale=(112, 112), keep_ratio=False),
                  dict(type='Flip', flip_ratio=0.5)]
    return steps + [dict(type='FormatShape', input_format='NCTHW'),
                    dict(type='PackActionInputs')]


def mmaction2_sample(path: str, backend: str) -> dict:
    """MMAction2's results dict for a video file, or for a frame folder (``rawframes``)."""
    if backend != 'rawframes':
        return dict(filename=path, label=0, start_index=0, modality='RGB')
    names = sorted(name for name in os.listdir(path) if name.lower().endswith('.jpg'))
    match = names and re.fullmatch(r'(\D*)(\d+)(\.jpg)', names[0], re.IGNORECASE)
    if not match:
        raise SystemExit(f'{path}: no numbered JPEG frames (e.g. img_00001.jpg) found.')
    prefix, digits, suffix = match.groups()
    return dict(frame_dir=path, total_frames=len(names), label=0, start_index=int(digits),
                filename_tmpl=f'{prefix}{{:0{len(digits)}d}}{suffix}', modality='RGB')


def main(argv=None) -> None:
    args = parse_args(argv)
    # Only the transforms: the mmaction2 1.2.0 wheel lacks mmaction.models.localizers.drn,
    # so mmaction.utils.register_all_modules() fails.
    try:
        import mmaction.datasets.transforms  # noqa: F401  (registers them)
        from mmaction.registry import TRANSFORMS as MMACTION2_TRANSFORMS
    except ImportError as err:
        raise ConfigError(f'MMAction2 cannot be imported here ({err}). Run this script with the '
                          f'Python of an environment that has mmaction2 1.2.0; the top of '
                          f'benchmarks/benchmark_vs_mmaction2.py shows how to make one.') from None
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    register_all_modules()

    cfg = load_config(args.config, args.cfg_options)
    split = 'test' if args.split == 'test' else 'train'
    vidreg_pipeline = Compose(with_backend(
        list(cfg[f'{split}_dataloader']['dataset']['pipeline']), args.backend))
    vidreg_samples = load_samples(cfg, split, args.videos)

    def vidreg_one(sample: dict) -> int:
        results, num_clips = run_transforms(vidreg_pipeline.steps, dict(sample))
        video_collate([results])
        return num_clips

    runners = {f'vidreg ({args.backend})': (vidreg_one, vidreg_samples)}
    for backend in args.mmaction2_backend:
        with DefaultScope.overwrite_default_scope('mmaction'):  # not vidreg's SampleFrames
            transforms = [MMACTION2_TRANSFORMS.build(step)
                          for step in mmaction2_steps(backend, args.split)]
        samples = [mmaction2_sample(osp.abspath(path), backend) for path in args.videos]
        runners[f'MMAction2 1.2.0 ({backend})'] = (
            lambda sample, ts=transforms: run_transforms(ts, dict(sample))[1], samples)

    names = list(runners)
    seconds = dict.fromkeys(names, 0.0)
    clips = dict.fromkeys(names, 0)
    for round_ in range(args.warmup + args.num):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:  # rotate who goes first
            run, samples = runners[name]
            sample = samples[round_ % len(samples)]
            start = time.process_time()
            num_clips = run(sample)
            if round_ >= args.warmup:
                seconds[name] += time.process_time() - start
                clips[name] += num_clips

    rates = {name: clips[name] / seconds[name] for name in names}
    best_other = max(rate for name, rate in rates.items() if name != names[0])
    table = Table(title=f'{args.split} pipelines, {len(args.videos)} input(s), {args.num} '
                        f'interleaved samples each, CPU time of one thread')
    for column in ('pipeline', 'clips/s', 'ms/clip', 'vs best MMAction2'):
        table.add_column(column, justify='left' if column == 'pipeline' else 'right')
    for name in names:
        table.add_row(name, f'{rates[name]:.1f}', f'{1e3 / rates[name]:.2f}',
                      f'{rates[name] / best_other:.2f}x')
    Console().print(table)
    print(f'speedup: {rates[names[0]] / best_other:.2f}')


if __name__ == '__main__':
    run_cli(main)
