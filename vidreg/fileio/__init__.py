"""File writing that needs nothing but the standard library (usable without torch)."""
from .atomic_write import NoSpaceError, atomic_open, atomic_path, remove_stale_temps

__all__ = ['NoSpaceError', 'atomic_open', 'atomic_path', 'remove_stale_temps']
