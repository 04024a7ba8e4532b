"""A work dir that holds a training run is trained into again only on purpose.

Training from scratch into a work dir that holds a run would overwrite its ``epoch_N.pth``
and config, re-point ``last_checkpoint`` and leave its ``best_*.pth`` beside the new run's
files. :func:`check_previous_run` refuses that and says the choices: ``--resume`` (continue
it), another ``--work-dir`` (keep it), or ``--overwrite``, which first removes what the
previous run wrote (:func:`previous_run_files`), so nothing of the two runs is mixed.
"""
import os
import os.path as osp
import re
import shutil
from typing import List

from vidreg.config import RESOLVED_CONFIG_HEADER

from .work_dir_lock import LOCK_NAME, WorkDirError

__all__ = ['check_previous_run', 'previous_run_files']

# What a training run writes into its work dir, besides checkpoints (*.pth, in the checkpoint
# folder): the record of its latest checkpoint, the summary, the plots, one log folder per run
# (<timestamp>/), the resolved config (headed by RESOLVED_CONFIG_HEADER) and, if it was stopped
# while writing, temporary files.
_RUN_FILES = ('last_checkpoint', 'summary.json', 'curves.png', 'confusion_matrix.png')
_LOG_FOLDER = re.compile(r'^\d{8}_\d{6}$')
_TEMP_FILE = re.compile(r'^\..+\.[0-9a-f]{32}\.tmp$')


def _is_resolved_config(path: str) -> bool:
    if not path.endswith('.py') or not osp.isfile(path):
        return False
    with open(path, encoding='utf-8', errors='replace') as file:
        return file.readline().startswith(RESOLVED_CONFIG_HEADER)


def _checkpoints(checkpoint_dir: str) -> List[str]:
    if not osp.isdir(checkpoint_dir):
        return []
    return sorted(osp.join(checkpoint_dir, name) for name in os.listdir(checkpoint_dir)
                  if name.endswith('.pth') and osp.isfile(osp.join(checkpoint_dir, name)))


def previous_run_files(work_dir: str, checkpoint_dir: str) -> List[str]:
    """The files and folders a training run left in ``work_dir`` and ``checkpoint_dir``.

    Args:
        work_dir: The run's work dir.
        checkpoint_dir: Where its checkpoints go (the work dir, unless the checkpoint hook
            has an ``out_dir``).

    Returns:
        Paths of the checkpoints (``*.pth``), ``last_checkpoint``, ``summary.json``, the
        plots, the resolved config, the log folders and leftover temporary files; other
        files are not listed.
    """
    found = set(_checkpoints(checkpoint_dir))
    if osp.isdir(work_dir):
        for name in os.listdir(work_dir):
            path = osp.join(work_dir, name)
            if (name in _RUN_FILES or _TEMP_FILE.match(name) or _is_resolved_config(path)
                    or (_LOG_FOLDER.match(name) and osp.isdir(path))):
                found.add(path)
    found.discard(osp.join(work_dir, LOCK_NAME))
    return sorted(found)


def check_previous_run(work_dir: str, checkpoint_dir: str, *, resume: bool,
                       overwrite: bool) -> List[str]:
    """Refuse to train from scratch into a work dir that holds a run, unless told to.

    A work dir holds a run when it has ``last_checkpoint`` or a checkpoint (a run stopped
    before its first checkpoint left nothing to lose but logs, and is trained over).

    Args:
        work_dir: The new run's work dir.
        checkpoint_dir: Where its checkpoints go.
        resume: The new run continues the one there (``--resume``): nothing to check.
        overwrite: ``--overwrite``: remove what a previous run left first.

    Returns:
        The paths removed (``overwrite`` only).

    Raises:
        WorkDirError: The work dir holds a run and neither ``resume`` nor ``overwrite``.
    """
    if resume:
        return []
    if overwrite:
        removed = previous_run_files(work_dir, checkpoint_dir)
        for path in removed:
            if osp.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
        return removed
    checkpoints = _checkpoints(checkpoint_dir)
    record = osp.join(work_dir, 'last_checkpoint')
    if not checkpoints and not osp.isfile(record):
        return []
    shown = [osp.basename(path) for path in checkpoints[:4]] + (
        [f'{len(checkpoints) - 4} more'] if len(checkpoints) > 4 else [])
    raise WorkDirError(
        f'{work_dir!r} already holds a training run '
        f'({", ".join(shown) if shown else "last_checkpoint"}); training from scratch would '
        f'overwrite and mix its files. Continue it with --resume, keep it and train into '
        f'another --work-dir, or replace it with --overwrite (removes its checkpoints, logs '
        f'and summary first).')
