"""Safe checkpoint loading, and the checksum that vidreg stores in its checkpoints.

torch >= 2.6 loads with ``weights_only=True`` by default, which refuses the few
non-tensor objects an mmengine Runner stores in its checkpoints (the message
hub's ``HistoryBuffer`` and numpy arrays/dtypes/scalars). Rather than loading
with full pickle (which runs arbitrary code from untrusted files), we add exactly
those classes to torch's allow-list.

:func:`load_checkpoint_file` is the one loader: it passes ``weights_only=True``
explicitly, which torch's ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` environment
override cannot turn off, and :func:`use_safe_loader_for_mmengine` makes mmengine's
loads of local files (``--resume``, ``load_from``, ``init_cfg``) go through it too.
"""
import hashlib
import os
import os.path as osp
import pickle
import re
from contextlib import contextmanager
from typing import Any, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional

import numpy as np
import torch

__all__ = ['allow_mmengine_checkpoint_types', 'load_checkpoint_file', 'state_dict_checksum',
           'use_safe_loader_for_mmengine', 'CheckpointError', 'CHECKSUM_KEY', 'KeyDifferences',
           'compare_state_dicts', 'complete_state_dict', 'find_resume_checkpoint',
           'short_list']

# Top-level checkpoint key holding the sha256 of ``checkpoint['state_dict']``.
CHECKSUM_KEY = 'state_dict_sha256'
_MAX_LISTED_KEYS = 10


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


class KeyDifferences(NamedTuple):
    """How a loaded state dict differs from a model's (see :func:`compare_state_dicts`)."""

    missing: List[str]  # in the model, not in the checkpoint
    unexpected: List[str]  # in the checkpoint, not in the model
    mismatched: List[str]  # in both, other shapes: 'name: checkpoint (..) vs model (..)'

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.mismatched)

    def describe(self) -> str:
        """One line naming the keys (at most ten of each kind)."""
        parts = [f'{label}: {short_list(keys)}' for label, keys in (
            ('missing in the checkpoint', self.missing),
            ('not in the model', self.unexpected),
            ('other shapes', self.mismatched)) if keys]
        return '; '.join(parts)


def short_list(keys: Iterable) -> str:
    """``'a, b, c'``, or the first ten and ``'... (N in all)'``."""
    keys = list(keys)
    shown = ', '.join(map(str, keys[:_MAX_LISTED_KEYS]))
    return shown + (f', ... ({len(keys)} in all)' if len(keys) > _MAX_LISTED_KEYS else '')


def compare_state_dicts(own: Mapping[str, Any], loaded: Mapping[str, Any]) -> KeyDifferences:
    """Compare the tensors of a checkpoint's state dict with those of a model.

    Args:
        own: ``model.state_dict()``.
        loaded: The state dict read from a checkpoint.
    """
    mismatched = [f'{k}: checkpoint {tuple(v.shape)} vs model {tuple(own[k].shape)}'
                  for k, v in loaded.items()
                  if k in own and hasattr(v, 'shape') and v.shape != own[k].shape]
    return KeyDifferences(missing=[k for k in own if k not in loaded],
                          unexpected=[k for k in loaded if k not in own], mismatched=mismatched)


def complete_state_dict(model: torch.nn.Module, state_dict: Dict[str, Any]) -> None:
    """Add, in place, the state that modules newer than a checkpoint fill in themselves.

    A module whose later versions added state (``RegHead``'s target statistics) provides
    ``complete_state_dict(state_dict, prefix)``, which its ``_load_from_state_dict`` calls
    too; this runs it for every such module of ``model`` so that a checkpoint's keys can
    be compared with the model's (:func:`compare_state_dicts`) before anything is loaded.

    Args:
        model: The model the checkpoint is for.
        state_dict: The checkpoint's state dict, keys as in ``model.state_dict()``.
    """
    for name, module in model.named_modules():
        complete = getattr(module, 'complete_state_dict', None)
        if callable(complete):
            complete(state_dict, f'{name}.' if name else '')


def state_dict_checksum(state_dict: Mapping[str, Any]) -> str:
    """sha256 over the names, dtypes, shapes and bytes of the tensors of a state dict.

    Independent of the order of the keys and of the device the tensors are on.
    """
    digest = hashlib.sha256()
    for name in sorted(state_dict):
        value = state_dict[name]
        if not isinstance(value, torch.Tensor):
            continue
        tensor = value.detach().cpu().contiguous()
        digest.update(f'{name}|{tensor.dtype}|{tuple(tensor.shape)}|'.encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


_PASS_A_CHECKPOINT = ('pass the .pth file that tools/train.py wrote (e.g. work_dirs/<config '
                      'name>/best_*.pth or epoch_N.pth)')


def _not_a_torch_file(path: str) -> Optional[str]:
    """What a file that torch cannot load is instead (an ONNX model, a config, text), or ``None``.

    Only asked once :func:`torch.load` has failed, so it never turns a checkpoint away.
    """
    extension = osp.splitext(path)[1].lower()
    if extension == '.onnx':
        return (f'{path!r} is an ONNX model (as tools/export.py writes), not a PyTorch '
                f'checkpoint: run it with tools/infer.py {path} INPUT... --backend onnxruntime. '
                f'tools/test.py, init_model and --resume need the .pth checkpoint it was '
                f'exported from.')
    with open(path, 'rb') as file:
        head = file.read(4096)
    try:
        is_text = b'\0' not in head and bool(head.decode('utf-8', errors='strict').strip())
    except UnicodeDecodeError:  # binary, or text cut inside a character: let torch's reason
        is_text = False
    if not is_text:
        return None
    if extension in ('.py', '.yaml', '.yml', '.json'):
        return (f'{path!r} is a {"Python" if extension == ".py" else extension[1:].upper()} '
                f'file (a config?), not a checkpoint: {_PASS_A_CHECKPOINT}. A config goes where '
                f'CONFIG is asked for (tools/test.py CONFIG CHECKPOINT) or in --config.')
    return f'{path!r} is a text file, not a readable checkpoint: {_PASS_A_CHECKPOINT}.'


def _refusal(path: str, error: Exception) -> CheckpointError:
    """The message for a file torch refuses or cannot read (without torch's advice to
    load with ``weights_only=False``, which would run the file's code)."""
    described = _not_a_torch_file(path)
    if described is not None:
        return CheckpointError(described)
    text = str(error)
    if isinstance(error, pickle.UnpicklingError) and 'Weights only load failed' in text:
        found = re.search(r'Unsupported global: GLOBAL (\S+)', text)
        what = f'the object {found.group(1)!r}' if found else 'an object'
        return CheckpointError(
            f'{path!r} was refused: it holds {what}, which a checkpoint does not need and which '
            f'could run code when loaded. vidreg loads only tensors, numbers, strings and '
            f"mmengine's bookkeeping types. If you made this file yourself, save a plain state "
            f'dict (torch.save(model.state_dict(), path)) and load that.')
    first_line = text.splitlines()[0] if text else ''
    return CheckpointError(
        f'{path!r} is not a readable checkpoint ({type(error).__name__}: {first_line}). It may '
        f'be truncated or not a torch file; re-create it or point to another checkpoint.')


@contextmanager
def _without_unsafe_override() -> Iterator[None]:
    """Hide ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` from torch while a checkpoint is loaded.

    torch (2.14) lets it override only calls that do not pass ``weights_only``, and
    :func:`load_checkpoint_file` passes it; hiding the variable as well keeps that
    guarantee if a torch version lets the environment win.
    """
    value = os.environ.pop('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', None)
    try:
        yield
    finally:
        if value is not None:
            os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] = value


def load_checkpoint_file(path: str, map_location: Any = 'cpu') -> Dict[str, Any]:
    """Load a checkpoint with ``weights_only=True``, verify its checksum, with clear errors.

    Args:
        path: A ``.pth`` file written by ``torch.save`` (an mmengine checkpoint or
            a plain state dict).
        map_location: Passed to :func:`torch.load`.

    Raises:
        CheckpointError: The file is missing or a directory, truncated, not a torch
            file, holds objects outside the allow-list, or its weights do not match the
            checksum stored with them (checkpoints without a checksum load unchecked).
    """
    path = osp.expanduser(path)
    if osp.isdir(path):
        raise CheckpointError(f'{path!r} is a directory, not a checkpoint file. Pass the path '
                              f'of a .pth file in it, e.g. {osp.join(path, "epoch_N.pth")!r}.')
    if not osp.isfile(path):
        raise CheckpointError(
            f'Checkpoint {path!r} does not exist. Pass the path of a .pth file, e.g. '
            f'work_dirs/<config name>/best_*.pth or epoch_N.pth.')
    allow_mmengine_checkpoint_types()
    try:
        with _without_unsafe_override():
            checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as error:  # torch raises several types for bad files
        raise _refusal(path, error) from error
    if not isinstance(checkpoint, dict):
        raise CheckpointError(f'{path!r} holds a {type(checkpoint).__name__}, not a checkpoint '
                              f'dict or state dict.')
    expected = checkpoint.get(CHECKSUM_KEY)
    if isinstance(expected, str) and isinstance(checkpoint.get('state_dict'), Mapping) \
            and state_dict_checksum(checkpoint['state_dict']) != expected:
        raise CheckpointError(
            f'{path!r} is corrupt: its weights do not match the checksum stored with them when '
            f'it was written (the file was damaged on disk or in transfer). Use another '
            f'checkpoint, e.g. an earlier epoch_N.pth.')
    return checkpoint


def use_safe_loader_for_mmengine() -> None:
    """Make mmengine load local checkpoint files with :func:`load_checkpoint_file`.

    mmengine's own local loader calls ``torch.load`` without ``weights_only``, which the
    ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` environment variable turns into a full unpickle.
    Replacing it (mmengine's ``CheckpointLoader`` scheme for plain paths) puts every
    ``Runner.load_checkpoint``/``resume`` and ``init_cfg`` load through the safe loader.
    Safe to call many times.
    """
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(prefixes='', loader=load_checkpoint_file, force=True)


def find_resume_checkpoint(source: Optional[str], work_dir: str) -> str:
    """The checkpoint ``--resume [SOURCE]`` continues from, checked to load.

    Args:
        source: ``None`` (the work dir's latest checkpoint), a folder (its latest
            checkpoint) or a checkpoint file.
        work_dir: The run's work dir.

    Raises:
        CheckpointError: There is nothing to resume (no ``last_checkpoint`` file), or
            the checkpoint cannot be loaded (see :func:`load_checkpoint_file`).
    """
    folder = work_dir if source is None else osp.expanduser(source)
    if source is None or osp.isdir(folder):
        record = osp.join(folder, 'last_checkpoint')
        if not osp.isfile(record):
            raise CheckpointError(
                f'--resume: nothing to resume in {folder!r}: it has no last_checkpoint file (no '
                f'epoch of a run there has finished). Leave out --resume to train from scratch, '
                f'or pass the checkpoint to continue from: --resume PATH/epoch_N.pth.')
        with open(record, encoding='utf-8') as file:
            path = file.read().strip()
        if not osp.isabs(path) and not osp.exists(path):
            path = osp.join(folder, osp.basename(path))
    else:
        path = folder
    load_checkpoint_file(path)
    return path
