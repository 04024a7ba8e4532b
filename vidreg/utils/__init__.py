from .checkpoint import (
    CheckpointError,
    allow_mmengine_checkpoint_types,
    atomic_torch_save,
    load_checkpoint_file,
)
from .error_console import print_error
from .setup_env import register_all_modules

__all__ = ['CheckpointError', 'allow_mmengine_checkpoint_types', 'atomic_torch_save',
           'load_checkpoint_file', 'print_error', 'register_all_modules']
