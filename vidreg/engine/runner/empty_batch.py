"""What the loops share for a batch that holds no sample: run the hooks, not the model."""
from typing import Literal

from mmengine.runner import BaseLoop


def run_hooks_only(loop: BaseLoop, mode: Literal['train', 'val', 'test'], idx: int,
                   data_batch: dict) -> None:
    """Run one iteration's hooks on an empty batch, with ``outputs=None`` and no model step.

    The hooks see the batch (:class:`~vidreg.engine.hooks.SkippedSamplesHook` counts its
    skipped samples) and the progress bars and timers advance as for any iteration.
    """
    loop.runner.call_hook(f'before_{mode}_iter', batch_idx=idx, data_batch=data_batch)
    loop.runner.call_hook(f'after_{mode}_iter', batch_idx=idx, data_batch=data_batch,
                          outputs=None)


__all__ = ['run_hooks_only']
