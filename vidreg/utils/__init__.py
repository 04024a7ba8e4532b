"""Helpers shared by the tools and the library.

Importing this package does not import torch: ``tools/infer.py --backend onnxruntime`` runs
where torch is not installed and prints its errors with :func:`print_error`. The names that
need torch (checkpoint loading, registering the modules) are imported on first use.
"""
import importlib
from typing import TYPE_CHECKING, Any

from vidreg.fileio import NoSpaceError, atomic_open, atomic_path, remove_stale_temps

from .error_console import print_error, print_warning

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__
    from .checkpoint import (
        CheckpointError,
        allow_mmengine_checkpoint_types,
        find_resume_checkpoint,
        load_checkpoint_file,
        state_dict_checksum,
        use_safe_loader_for_mmengine,
    )
    from .setup_env import register_all_modules

_NEED_TORCH = {'CheckpointError': 'checkpoint', 'allow_mmengine_checkpoint_types': 'checkpoint',
               'find_resume_checkpoint': 'checkpoint', 'load_checkpoint_file': 'checkpoint',
               'state_dict_checksum': 'checkpoint', 'use_safe_loader_for_mmengine': 'checkpoint',
               'register_all_modules': 'setup_env'}


def __getattr__(name: str) -> Any:
    """``from vidreg.utils import CheckpointError`` imports ``.checkpoint`` (and torch) then."""
    if name in _NEED_TORCH:
        return getattr(importlib.import_module(f'.{_NEED_TORCH[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = ['CheckpointError', 'NoSpaceError', 'allow_mmengine_checkpoint_types', 'atomic_open',
           'atomic_path', 'find_resume_checkpoint', 'load_checkpoint_file', 'print_error',
           'print_warning', 'register_all_modules', 'remove_stale_temps', 'state_dict_checksum',
           'use_safe_loader_for_mmengine']
