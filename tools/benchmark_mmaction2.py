"""Measure MMAction2's standard 16x4 data pipelines, to compare with tools/benchmark_data.py.

MMAction2 is not a dependency of vidreg: install it in a separate environment, e.g.

    python -m venv --system-site-packages /tmp/mma
    /tmp/mma/bin/pip install mmaction2==1.2.0 --no-deps
    /tmp/mma/bin/pip install einops decord 'mmcv-lite==2.1.0'   # mmaction2 1.2.0 wants mmcv < 2.2

then run, on the same core and the same files as the vidreg benchmark:

    taskset -c 0 /tmp/mma/bin/python tools/benchmark_mmaction2.py --videos demo.mp4 \
        --backend decord pyav opencv --split train --num 100 --clock cpu
    taskset -c 0 /tmp/mma/bin/python tools/benchmark_mmaction2.py --videos FRAMES_DIR \
        --backend rawframes --num 300 --clock cpu

The pipelines are those of MMAction2's C3D / R(2+1)D / SlowOnly 16x4 configs: train = one
random clip of 16 frames every 4th, Resize short side 128, RandomResizedCrop, Resize 112x112,
Flip 0.5, FormatShape NCTHW, PackActionInputs; test = 10 clips x ThreeCrop 128. Clips are
counted as in tools/benchmark_data.py (a test video is 10 clips). Frame folders are read with
RawFrameDecode; the file template is taken from the folder's first JPEG.
"""
import argparse
import itertools
import os
import os.path as osp
import re
import time

import cv2
import torch
from rich.console import Console
from rich.table import Table

BACKENDS = ('decord', 'pyav', 'opencv', 'rawframes')
INIT = dict(decord=dict(type='DecordInit', num_threads=1), pyav=dict(type='PyAVInit'),
            opencv=dict(type='OpenCVInit'), rawframes=None)
DECODE = dict(decord=dict(type='DecordDecode'), pyav=dict(type='PyAVDecode'),
              opencv=dict(type='OpenCVDecode'), rawframes=dict(type='RawFrameDecode'))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--videos', nargs='+', required=True, metavar='PATH',
                        help='video files, or frame folders for --backend rawframes')
    parser.add_argument('--backend', nargs='+', choices=BACKENDS, default=['decord'])
    parser.add_argument('--split', choices=['train', 'test'], default='train')
    parser.add_argument('--num', type=int, default=50, help='samples (videos) per backend')
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--clock', choices=['wall', 'cpu'], default='wall')
    return parser.parse_args()


def pipeline_steps(backend: str, split: str) -> list:
    test = split == 'test'
    steps = [INIT[backend]] if INIT[backend] else []
    steps += [dict(type='SampleFrames', clip_len=16, frame_interval=4,
                   num_clips=10 if test else 1, test_mode=test),
              DECODE[backend], dict(type='Resize', scale=(-1, 128))]
    if test:
        steps.append(dict(type='ThreeCrop', crop_size=128))
    else:
        steps += [dict(type='RandomResizedCrop'),
                  dict(type='Resize', scale=(112, 112), keep_ratio=False),
                  dict(type='Flip', flip_ratio=0.5)]
    return steps + [dict(type='FormatShape', input_format='NCTHW'),
                    dict(type='PackActionInputs')]


def sample(path: str, backend: str) -> dict:
    if backend != 'rawframes':
        return dict(filename=path, label=0, start_index=0, modality='RGB')
    names = sorted(name for name in os.listdir(path) if name.lower().endswith('.jpg'))
    match = names and re.fullmatch(r'(\D*)(\d+)(\.jpg)', names[0], re.IGNORECASE)
    if not match:
        raise SystemExit(f'{path}: no numbered JPEG frames (e.g. img_00001.jpg) found.')
    prefix, digits, suffix = match.groups()
    return dict(frame_dir=path, total_frames=len(names), label=0, start_index=int(digits),
                filename_tmpl=f'{prefix}{{:0{len(digits)}d}}{suffix}', modality='RGB')


def measure(transforms: list, samples: list, num: int, warmup: int, clock) -> tuple:
    clips, seconds = 0, 0.0
    for count, results in enumerate(itertools.islice(itertools.cycle(samples), warmup + num)):
        results, num_clips = dict(results), 1
        start = clock()
        for transform in transforms:
            results = transform(results)
            num_clips = results.get('num_clips', num_clips)  # PackActionInputs drops the key
        if count >= warmup:
            seconds += clock() - start
            clips += num_clips
    return clips, seconds


def main() -> None:
    args = parse_args()
    # Import only the transforms: the 1.2.0 wheel lacks mmaction.models.localizers.drn,
    # so mmaction.utils.register_all_modules() fails.
    import mmaction.datasets.transforms  # noqa: F401  (registers them)
    from mmaction.registry import TRANSFORMS
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    clock = time.process_time if args.clock == 'cpu' else time.perf_counter
    table = Table(title=f'MMAction2 {args.split} pipeline, {len(args.videos)} input(s), '
                        f'{args.num} samples per backend, {args.clock} clock')
    for column in ('backend', 'clips/s', 'ms/clip'):
        table.add_column(column, justify='left' if column == 'backend' else 'right')
    first_rate = None
    for backend in args.backend:
        transforms = [TRANSFORMS.build(step) for step in pipeline_steps(backend, args.split)]
        samples = [sample(osp.abspath(path), backend) for path in args.videos]
        clips, seconds = measure(transforms, samples, args.num, args.warmup, clock)
        rate = clips / seconds
        first_rate = rate if first_rate is None else first_rate
        table.add_row(backend, f'{rate:.1f}', f'{1e3 * seconds / clips:.2f}')
    Console().print(table)
    print(f'clips/s: {first_rate:.2f}')


if __name__ == '__main__':
    main()
