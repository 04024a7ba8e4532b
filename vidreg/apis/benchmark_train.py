"""Time training steps of a config's model on in-memory clips, against a bare PyTorch loop.

No data is read: one random uint8 batch (B, 1, T, C, H, W) of the config's ``num_frames`` x
``img_size`` is reused. Each step runs twice, interleaved:
- framework: ``model.train_step(batch, optim_wrapper)`` (mmengine's path: data preprocessor,
  loss dict parsing, optimizer wrapper);
- bare: the same preprocessing, model, loss and optimizer called directly (forward,
  ``cross_entropy``, ``backward``, ``step``, ``zero_grad``: each step, like mmengine's, starts
  and ends without gradients).
Taking turns makes both suffer the same machine noise. ``tools/benchmark_train.py`` is the
command line.
"""
import resource
import statistics
import time
from contextlib import nullcontext
from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from torch.utils.flop_counter import FlopCounterMode

from vidreg.config import load_config
from vidreg.models import build_model
from vidreg.structures import VideoDataSample
from vidreg.utils import register_all_modules

__all__ = ['benchmark_train']


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


def benchmark_train(config: str, *, batch_size: Optional[int] = None,
                    num_frames: Optional[int] = None, img_size: Optional[int] = None,
                    steps: int = 10, warmup: int = 2, amp: bool = False,
                    channels_last: bool = False, compile_backbone: bool = False,
                    device: Optional[str] = None, cfg_options: Optional[dict] = None) -> float:
    """Time framework and bare training steps in turn; print rates, FLOPs and memory.

    Prints clips/s, the median step time, peak memory (CUDA: max allocated; CPU: the
    process's peak RSS) and the achieved FLOP rate from one step counted by
    ``torch.utils.flop_counter`` (forward + backward; FLOPs = 2 x multiply-adds). The last line
    is ``overhead: R``.

    Args:
        config: The config whose model and optimizer are timed (``pretrained`` is dropped).
        batch_size, num_frames, img_size: B, T and H = W of the batch; default: the config's
            knobs (8, 16, 112 when it has none).
        steps: Timed steps of each kind.
        warmup: Untimed steps of each kind first.
        amp: Run both in ``torch.autocast(dtype=torch.bfloat16)``.
        channels_last: Feed ``channels_last_3d`` clips (and model).
        compile_backbone: ``torch.compile`` the backbone for both.
        device: Default: ``'cuda'`` when available, else ``'cpu'``.
        cfg_options: Config overrides, as ``--cfg-options`` gives them.

    Returns:
        The overhead: the median over steps of (framework step time / the bare step run right
        after it), 1.03 meaning 3% slower.
    """
    device = device or ('cuda' if torch.cuda.is_available() else 'cpu')
    register_all_modules()
    cfg = load_config(config, {'pretrained': None, **(cfg_options or {})})
    batch_size = batch_size or cfg.get('batch_size', 8)
    frames = num_frames or cfg.get('num_frames', 16)
    size = img_size or cfg.get('img_size', 112)
    cfg.model.channels_last = channels_last
    model = build_model(cfg).to(device).train()
    if channels_last:
        model.to(memory_format=torch.channels_last_3d)
    if compile_backbone:
        model.backbone = torch.compile(model.backbone)
    # mmengine logs a line per parameter group (paramwise_cfg) to its current logger; the
    # console is for the report: a logger of this run's own that shows warnings only.
    MMLogger.get_instance(f'benchmark_train_{id(model)}', log_level='WARNING')
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    optimizer = optim_wrapper.optimizer
    num_classes = model.head.num_classes
    data = _batch(batch_size, frames, size, num_classes)
    labels = torch.tensor([s.gt_label.item() for s in data['data_samples']], device=device)
    stats = model.data_preprocessor.normalizers['imgs']  # the mean/std/channel order it uses
    autocast = (torch.autocast(device_type=device.split(':')[0], dtype=torch.bfloat16)
                if amp else nullcontext())

    def framework_step() -> None:
        with autocast:
            model.train_step(data, optim_wrapper)

    def bare_step() -> None:
        clips = data['inputs']['imgs'].to(device).flatten(0, 1)  # (B, T, C, H, W)
        clips = clips.permute(0, 2, 1, 3, 4).float()  # (B, C, T, H, W)
        if stats.flip_channels:
            clips = clips.flip(1)
        clips = (clips - stats.mean[0]) / stats.std[0]
        if channels_last:
            clips = clips.contiguous(memory_format=torch.channels_last_3d)
        with autocast:
            logits = model.head(model.temporal(model.backbone(clips)))  # (B, K)
            loss = F.cross_entropy(logits.float(), labels)
        loss.backward()
        optimizer.step()
        # Drop the gradients at the end, as mmengine's update_params does: left for the next
        # step, they would make the framework's backward add into them (the steps take
        # turns), a cost of its own (R(2+1)D-18: 31 M floats, ~50 ms per step on the CPU).
        optimizer.zero_grad(set_to_none=True)

    kinds = {'framework': framework_step, 'bare': bare_step}
    times = {name: [] for name in kinds}
    for index in range(warmup + steps):
        for name, step in kinds.items():
            _sync(device)
            start = time.perf_counter()
            step()
            _sync(device)
            if index >= warmup:
                times[name].append(time.perf_counter() - start)
    with FlopCounterMode(display=False) as counter:
        bare_step()
    flops = counter.get_total_flops()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(model.data_preprocessor(data)['inputs'], mode='tensor')
    forward_flops = counter.get_total_flops()
    print(f'config: {config}  device: {device}  batch: {batch_size} x {frames} x '
          f'{size} x {size}  amp: {amp}  channels_last: {channels_last}  '
          f'compile: {compile_backbone}  steps: {steps}')
    print(f'FLOPs per step (forward + backward): {flops / 1e9:.4g} G; forward per clip: '
          f'{forward_flops / batch_size / 2e9:.4g} G multiply-adds')
    for name, values in times.items():
        median = statistics.median(values)
        print(f'{name:9s}: step {median * 1e3:8.1f} ms (min {min(values) * 1e3:.1f}, max '
              f'{max(values) * 1e3:.1f})  {batch_size / median:8.1f} clips/s  '
              f'{flops / median / 1e12:.3f} TFLOP/s')
    print(f'peak memory: {_peak_memory_mb(device):.0f} MiB')
    # Each framework step is paired with the bare step that ran right after it, so both saw the
    # same load; the median of the pair ratios resists the noise of a shared machine.
    ratios = [f / b for f, b in zip(times['framework'], times['bare'])]
    medians = statistics.median(times['framework']) / statistics.median(times['bare'])
    print(f'ratio of median step times: {medians:.3f}; of fastest steps: '
          f'{min(times["framework"]) / min(times["bare"]):.3f}')
    overhead = statistics.median(ratios)
    print(f'overhead: {overhead:.3f}')
    return overhead
