"""File writing that needs nothing but the standard library (usable without torch)."""
from .atomic_write import NoSpaceError, atomic_open, atomic_path, remove_stale_temps
from .output_paths import OutputFile, OutputPathError, check_output_files, same_file

__all__ = ['NoSpaceError', 'atomic_open', 'atomic_path', 'remove_stale_temps', 'OutputFile',
           'OutputPathError', 'check_output_files', 'same_file']
