"""Every config vidreg ships (core and plugins), and each shrunk for a fast test."""
import glob
import os.path as osp
from typing import List

from mmengine.config import Config

from vidreg.config import load_config
from vidreg.plugins import REPO_ROOT

__all__ = ['SHRINK', 'shipped_configs', 'shrunk_config']

# Knob -> value that makes a config cheap to build and run; applied only where it is a knob.
SHRINK = dict(pretrained=None, num_frames=4, img_size=32, batch_size=2, num_workers=0)


def shipped_configs() -> List[str]:
    """The leaf configs of ``configs/`` and ``plugins/*/configs/`` (no ``_base_`` fragment),
    sorted; new ones are picked up without editing a test."""
    found = (glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
             + glob.glob(osp.join(REPO_ROOT, 'plugins', '*', 'configs', '**', '*.py'),
                         recursive=True))
    return sorted(path for path in found if f'{osp.sep}_base_{osp.sep}' not in path)


def shrunk_config(path: str, **options) -> Config:
    """``path`` loaded with every :data:`SHRINK` knob it has, and ``options``, overridden."""
    knobs = load_config(path)
    chosen = {key: value for key, value in {**SHRINK, **options}.items() if key in knobs}
    return load_config(path, chosen)
