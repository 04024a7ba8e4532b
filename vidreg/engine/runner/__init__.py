from .cpu_distributed import setup_cpu_distributed
from .vidreg_runner import VidregRunner

__all__ = ['VidregRunner', 'setup_cpu_distributed']
