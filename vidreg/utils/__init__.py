from vidreg.fileio import NoSpaceError, atomic_open, atomic_path, remove_stale_temps

from .checkpoint import (
    CheckpointError,
    allow_mmengine_checkpoint_types,
    find_resume_checkpoint,
    load_checkpoint_file,
    state_dict_checksum,
    use_safe_loader_for_mmengine,
)
from .error_console import print_error
from .setup_env import register_all_modules

__all__ = ['CheckpointError', 'NoSpaceError', 'allow_mmengine_checkpoint_types', 'atomic_open',
           'atomic_path', 'find_resume_checkpoint', 'load_checkpoint_file', 'print_error',
           'register_all_modules', 'remove_stale_temps', 'state_dict_checksum',
           'use_safe_loader_for_mmengine']
