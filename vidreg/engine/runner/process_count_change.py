"""Resume a run with another number of processes: where the next epoch starts, in the new
run's iterations."""
from typing import Iterable, Optional

from mmengine.optim import _ParamScheduler

__all__ = ['PROCESS_COUNT_KEYS', 'map_resumed_position']

# What a checkpoint's meta records about the run that wrote it (VidregRunner adds them).
PROCESS_COUNT_KEYS = ('world_size', 'iters_per_epoch')


def _schedulers(param_schedulers) -> Iterable[_ParamScheduler]:
    groups = param_schedulers.values() if isinstance(param_schedulers, dict) else [
        param_schedulers or []]
    for group in groups:
        yield from (s for s in group if isinstance(s, _ParamScheduler))


def map_resumed_position(runner, meta: dict) -> Optional[str]:
    """Map a resumed epoch-based run onto this run's processes; say how, or ``None``.

    Checkpoints are written at the end of an epoch, so the run goes on at position 0 of the
    next epoch, and that position means the same sample whatever the number of processes:
    ``SeededSampler`` and ``ClassBalancedSampler`` draw each epoch's order (and every
    sample's augmentation seed) from ``(seed, epoch, position)``, identically on every
    process, and process r of R takes positions r, r + R, ... So only the iteration counts
    change: ``batch_size`` is per process, so an epoch of another number of processes has
    another number of iterations. The loop's iteration and every scheduler stepped by
    iteration (``convert_to_iter_based``) are moved to the same point of the schedule
    (``epoch * iterations per epoch`` of this run).

    Args:
        runner: The resumed ``VidregRunner`` (its train loop and schedulers loaded).
        meta: The checkpoint's ``meta``: ``epoch``, ``iter`` and, from checkpoints that
            record them, ``world_size`` and ``iters_per_epoch``.

    Returns:
        One sentence for the console when the number of processes or of iterations per
        epoch changed; ``None`` otherwise.
    """
    epoch, old_iter = meta.get('epoch', 0), meta.get('iter', 0)
    old_len = meta.get('iters_per_epoch') or (old_iter // epoch if epoch else None)
    new_len = len(runner.train_dataloader)
    old_world, new_world = meta.get('world_size'), runner.world_size
    if not old_len or (old_len == new_len and old_world in (None, new_world)):
        return None
    new_iter = epoch * new_len
    runner.train_loop._iter = new_iter
    for scheduler in _schedulers(runner.param_schedulers):
        if not scheduler.by_epoch:
            scheduler.last_step = round(scheduler.last_step * new_len / old_len)
    processes = (f'written by {old_world} process{"es" * (old_world != 1)}, resumed with '
                 f'{new_world}' if old_world else f'resumed with {new_world} process'
                 f'{"es" * (new_world != 1)}')
    return (f'{processes}: epoch {epoch + 1} starts at position 0 of its sample order, the '
            f'same samples and augmentation seeds as before, process r taking positions r, '
            f'r + {new_world}, ...; {new_len} iterations per epoch instead of {old_len} '
            f'(batch_size is per process), so iteration {old_iter} is now {new_iter}, and '
            f'schedulers by iteration were moved to the same point.')
