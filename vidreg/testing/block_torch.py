"""Run a tool in a subprocess where ``import torch`` fails (torch-free deployment checks)."""
import os
from typing import Dict, Union

__all__ = ['torch_blocking_env']

_SITECUSTOMIZE = '''import sys
class _BlockTorch:
    def find_spec(self, name, path=None, target=None):
        if name == 'torch' or name.startswith('torch.'):
            raise ImportError('torch is blocked in this test')
sys.meta_path.insert(0, _BlockTorch())
'''


def torch_blocking_env(folder: Union[str, os.PathLike]) -> Dict[str, str]:
    """Write ``folder/sitecustomize.py`` that makes ``import torch`` fail.

    Returns:
        ``{'PYTHONPATH': folder}``: pass it in a subprocess's environment.
    """
    with open(os.path.join(folder, 'sitecustomize.py'), 'w', encoding='utf-8') as file:
        file.write(_SITECUSTOMIZE)
    return dict(PYTHONPATH=str(folder))
