"""Safe checkpoint loading and atomic checkpoint writing.

torch >= 2.6 loads with ``weights_only=True`` by default, which refuses the few
non-tensor objects an mmengine Runner stores in its checkpoints (the message
hub's ``HistoryBuffer`` and numpy arrays/dtypes/scalars). Rather than loading
with full pickle (which runs arbitrary code from untrusted files), we add exactly
those classes to torch's allow-list.
"""
import os
import os.path as osp
import pickle
from typing import Any, Dict

import numpy as np
import torch

__all__ = ['allow_mmengine_checkpoint_types', 'load_checkpoint_file', 'atomic_torch_save',
           'CheckpointError']


class CheckpointError(RuntimeError):
    """A file that should be a checkpoint is missing or cannot be read as one."""


def _numpy_safe_types() -> list:
    multiarray = np._core.multiarray if hasattr(np, '_core') else np.core.multiarray
    types = [multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype]
    dtypes_module = getattr(np, 'dtypes', None)
    if dtypes_module is not None:
        types += [getattr(dtypes_module, name) for name in dir(dtypes_module)
                  if name.endswith('DType')]
    return types


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """Stands in for ``builtins.getattr`` while unpickling: only HistoryBuffer's methods.

    ``HistoryBuffer.__getstate__`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'mean')`` and so on. Allowing the real ``getattr`` would
    let a crafted file reach any attribute of any allowed object; this resolves
    only those lookups and refuses the rest.
    """
    from mmengine.logging import HistoryBuffer
    if obj is HistoryBuffer and (name in ('min', 'max', 'current', 'mean')
                                 or name in HistoryBuffer._statistics_methods):
        return getattr(obj, name)
    raise pickle.UnpicklingError(f'refusing getattr({obj!r}, {name!r}) in a checkpoint')


def allow_mmengine_checkpoint_types() -> None:
    """Allow-list the classes mmengine's Runner pickles into checkpoints.

    Safe to call many times. Covers ``mmengine.logging.HistoryBuffer`` (with a
    ``getattr`` restricted to its statistics methods) and numpy arrays, dtypes and
    scalars; nothing that can execute code on load.
    """
    from mmengine.logging import HistoryBuffer
    torch.serialization.add_safe_globals(
        [HistoryBuffer, (_history_buffer_getattr, 'builtins.getattr'), *_numpy_safe_types()])


def load_checkpoint_file(path: str, map_location: Any = 'cpu') -> Dict[str, Any]:
    """Load a checkpoint with ``weights_only=True`` and clear errors.

    Args:
        path: A ``.pth`` file written by ``torch.save`` (an mmengine checkpoint or
            a plain state dict).
        map_location: Passed to :func:`torch.load`.

    Raises:
        CheckpointError: The file is missing, truncated, not a torch file, or holds
            objects outside the allow-list.
    """
    path = osp.expanduser(path)
    if not osp.isfile(path):
        raise CheckpointError(
            f'Checkpoint {path!r} does not exist. Pass the path of a .pth file, e.g. '
            f'work_dirs/<config name>/best_*.pth or epoch_N.pth.')
    allow_mmengine_checkpoint_types()
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as error:  # torch raises several types for bad files
        raise CheckpointError(
            f'{path!r} is not a readable checkpoint ({type(error).__name__}: '
            f'{str(error).splitlines()[0] if str(error) else ""}). It may be truncated or '
            f'not a torch file; re-create it or point to another checkpoint.') from error
    if not isinstance(checkpoint, dict):
        raise CheckpointError(f'{path!r} holds a {type(checkpoint).__name__}, not a checkpoint '
                              f'dict or state dict.')
    return checkpoint


def atomic_torch_save(obj: Any, path: str) -> None:
    """``torch.save`` to a temporary file in the same folder, then rename.

    A kill during the write leaves the old file (or none), never a truncated one.
    """
    tmp_path = f'{path}.tmp-{os.getpid()}'
    try:
        torch.save(obj, tmp_path)
        os.replace(tmp_path, path)
    finally:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
