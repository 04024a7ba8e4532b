"""Claim the work dir for a training run before anything is written to it."""
import os
import os.path as osp
from typing import Optional

import torch.distributed as dist
from mmengine.config import Config

from .previous_run import check_previous_run
from .work_dir_lock import WorkDirError, WorkDirLock

__all__ = ['checkpoint_dir', 'claim_work_dir']


def checkpoint_dir(cfg: Config) -> str:
    """Where the run's checkpoints go: the work dir, or ``<out_dir>/<work dir name>`` when the
    checkpoint hook has an ``out_dir`` (as mmengine's ``CheckpointHook`` places them)."""
    hook = (cfg.get('default_hooks') or {}).get('checkpoint') or {}
    out_dir = hook.get('out_dir') if isinstance(hook, dict) else None
    if not out_dir:
        return cfg.work_dir
    return osp.join(out_dir, osp.basename(osp.normpath(cfg.work_dir)))


def _rank() -> int:
    """This process's global rank: from the process group, or before one exists (mmengine
    creates it with the Runner on GPUs) from the launcher's environment."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank()
    for name in ('RANK', 'SLURM_PROCID', 'OMPI_COMM_WORLD_RANK'):
        if os.environ.get(name, '').isdigit():
            return int(os.environ[name])
    return 0


def claim_work_dir(cfg: Config, *, resume: bool, overwrite: bool) -> Optional[WorkDirLock]:
    """Lock ``cfg.work_dir`` for this run and check what a previous run left there.

    Only rank 0 takes the lock (:class:`WorkDirLock`) and checks for a previous run
    (:func:`check_previous_run`, which ``overwrite`` clears). When the process group
    exists already (multi-process training on CPU), every process learns the outcome, so
    all stop together if rank 0 is refused; otherwise (GPUs, whose group the Runner
    creates) rank 0 stops alone and the launcher ends the others.

    Args:
        cfg: The run's config (``work_dir`` set).
        resume: The run continues the one in the work dir (``--resume``).
        overwrite: ``--overwrite``: remove a previous run's files first.

    Returns:
        The held lock on rank 0 (release it when training ends), ``None`` on other ranks.

    Raises:
        WorkDirError: Another run holds the work dir, or it holds a run and neither
            ``resume`` nor ``overwrite`` is set.
    """
    rank, lock, problem = _rank(), None, None
    if rank == 0:
        lock = WorkDirLock(cfg.work_dir)
        try:
            lock.acquire()
            removed = check_previous_run(cfg.work_dir, checkpoint_dir(cfg), resume=resume,
                                         overwrite=overwrite)
        except WorkDirError as error:
            lock.release()
            problem = str(error)
        else:
            if removed:
                names = ', '.join(osp.basename(path) for path in removed[:6])
                more = f' and {len(removed) - 6} more' if len(removed) > 6 else ''
                print(f'--overwrite: removed the previous run from {cfg.work_dir}: '
                      f'{names}{more}', flush=True)
    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        shared = [problem]
        dist.broadcast_object_list(shared, src=0)
        problem = shared[0]
    if problem is not None:
        raise WorkDirError(problem if rank == 0 else
                           f'process {rank} stops: process 0 could not claim the work dir.')
    return lock
