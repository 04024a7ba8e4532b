"""Time training steps of a config's model on in-memory clips, against a bare PyTorch loop.

    python tools/benchmark_train.py CONFIG [--batch-size B] [--steps N] [--amp]
        [--channels-last] [--compile] [--device cuda] [--cfg-options ...]

No data is read: one random uint8 batch (B, 1, T, C, H, W) of the config's ``num_frames`` x
``img_size`` (or --num-frames/--img-size) is reused. Each step runs twice, interleaved:
- framework: ``model.train_step(batch, optim_wrapper)`` (mmengine's path: data preprocessor,
  loss dict parsing, optimizer wrapper);
- bare: the same preprocessing, model, loss and optimizer called directly (``zero_grad``,
  forward, ``cross_entropy``, ``backward``, ``step``).
Taking turns makes both suffer the same machine noise. Prints clips/s, the median step time,
peak memory (CUDA: max allocated; CPU: the process's peak RSS) and the achieved FLOP rate from
one step counted by ``torch.utils.flop_counter`` (forward + backward; FLOPs = 2 x multiply-adds).
The last line is ``overhead: R``: the median over steps of (framework step time / the bare step
run right after it), 1.03 meaning 3% slower.
``--amp`` runs both in ``torch.autocast(dtype=torch.bfloat16)``; ``--channels-last`` feeds
``channels_last_3d`` clips (and model); ``--compile`` compiles the backbone for both.
"""
import argparse
import resource
import statistics
import sys
import time
from contextlib import nullcontext
from os import path as osp
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.optim import build_optim_wrapper  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from vidreg.config import load_config  # noqa: E402
from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.models import build_model  # noqa: E402
from vidreg.structures import VideoDataSample  # noqa: E402
from vidreg.utils import register_all_modules  # noqa: E402


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, default=None, help='default: the config\'s')
    parser.add_argument('--num-frames', type=int, default=None, help='T; default: the config\'s')
    parser.add_argument('--img-size', type=int, default=None, help='H = W; default: the config\'s')
    parser.add_argument('--steps', type=int, default=10, help='timed steps of each kind')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps of each kind')
    parser.add_argument('--amp', action='store_true', help='bf16 autocast')
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--compile', action='store_true', help='torch.compile the backbone')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args(argv)


def _batch(batch_size: int, frames: int, size: int, num_classes: int) -> dict:
    generator = torch.Generator().manual_seed(0)
    inputs = torch.randint(0, 256, (batch_size, 1, frames, 3, size, size), dtype=torch.uint8,
                           generator=generator)  # (B, V=1, T, C, H, W)
    samples = [VideoDataSample().set_gt_label(i % num_classes, 'classification')
               for i in range(batch_size)]
    return dict(inputs=dict(imgs=inputs), data_samples=samples)


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def _peak_memory_mb(device: str) -> float:
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2 ** 20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    register_all_modules()
    cfg = load_config(args.config, {'pretrained': None, **args.cfg_options})
    batch_size = args.batch_size or cfg.get('batch_size', 8)
    frames = args.num_frames or cfg.get('num_frames', 16)
    size = args.img_size or cfg.get('img_size', 112)
    cfg.model.channels_last = args.channels_last
    model = build_model(cfg).to(args.device).train()
    if args.channels_last:
        model.to(memory_format=torch.channels_last_3d)
    if args.compile:
        model.backbone = torch.compile(model.backbone)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    optimizer = optim_wrapper.optimizer
    num_classes = model.head.num_classes
    data = _batch(batch_size, frames, size, num_classes)
    labels = torch.tensor([s.gt_label.item() for s in data['data_samples']], device=args.device)
    stats = model.data_preprocessor.normalizers['imgs']  # the mean/std/channel order it uses
    autocast = (torch.autocast(device_type=args.device.split(':')[0], dtype=torch.bfloat16)
                if args.amp else nullcontext())

    def framework_step() -> None:
        with autocast:
            model.train_step(data, optim_wrapper)

    def bare_step() -> None:
        clips = data['inputs']['imgs'].to(args.device).flatten(0, 1)  # (B, T, C, H, W)
        clips = clips.permute(0, 2, 1, 3, 4).float()  # (B, C, T, H, W)
        if stats.flip_channels:
            clips = clips.flip(1)
        clips = (clips - stats.mean[0]) / stats.std[0]
        if args.channels_last:
            clips = clips.contiguous(memory_format=torch.channels_last_3d)
        optimizer.zero_grad()
        with autocast:
            logits = model.head(model.temporal(model.backbone(clips)))  # (B, K)
            loss = F.cross_entropy(logits.float(), labels)
        loss.backward()
        optimizer.step()

    steps = {'framework': framework_step, 'bare': bare_step}
    times = {name: [] for name in steps}
    for index in range(args.warmup + args.steps):
        for name, step in steps.items():
            _sync(args.device)
            start = time.perf_counter()
            step()
            _sync(args.device)
            if index >= args.warmup:
                times[name].append(time.perf_counter() - start)
    with FlopCounterMode(display=False) as counter:
        bare_step()
    flops = counter.get_total_flops()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(model.data_preprocessor(data)['inputs'], mode='tensor')
    forward_flops = counter.get_total_flops()
    print(f'config: {args.config}  device: {args.device}  batch: {batch_size} x {frames} x '
          f'{size} x {size}  amp: {args.amp}  channels_last: {args.channels_last}  '
          f'compile: {args.compile}  steps: {args.steps}')
    print(f'FLOPs per step (forward + backward): {flops / 1e9:.4g} G; forward per clip: '
          f'{forward_flops / batch_size / 2e9:.4g} G multiply-adds')
    for name, values in times.items():
        median = statistics.median(values)
        print(f'{name:9s}: step {median * 1e3:8.1f} ms (min {min(values) * 1e3:.1f}, max '
              f'{max(values) * 1e3:.1f})  {batch_size / median:8.1f} clips/s  '
              f'{flops / median / 1e12:.3f} TFLOP/s')
    print(f'peak memory: {_peak_memory_mb(args.device):.0f} MiB')
    # Each framework step is paired with the bare step that ran right after it, so both saw the
    # same load; the median of the pair ratios resists the noise of a shared machine.
    ratios = [f / b for f, b in zip(times['framework'], times['bare'])]
    medians = statistics.median(times['framework']) / statistics.median(times['bare'])
    print(f'ratio of median step times: {medians:.3f}; of fastest steps: '
          f'{min(times["framework"]) / min(times["bare"]):.3f}')
    print(f'overhead: {statistics.median(ratios):.3f}')


if __name__ == '__main__':
    run_cli(main)
