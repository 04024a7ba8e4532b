"""Every config vidreg ships (core and plugins), and each shrunk for a fast test."""
import functools
import glob
import os.path as osp
from typing import List, Sequence

from mmengine.config import Config

from vidreg.config import load_config
from vidreg.plugins import REPO_ROOT

__all__ = ['SHRINK', 'distinct_test_pipelines', 'shipped_configs', 'shrunk_config']

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


def distinct_test_pipelines(paths: Sequence[str], shrink: bool = False) -> List[str]:
    """One config per distinct test pipeline among ``paths`` (the first, in order).

    Many shipped configs are flat variants that differ only in their data set and number of
    classes (``*_hmdb51.py``, ``*_ucf101.py``, ``*_csv.py``): a test of what the test pipeline
    makes of a video runs once per pipeline, not once per file. Two configs share a pipeline
    when their ``test_dataloader.dataset.pipeline`` (as loaded, or shrunk with ``shrink``)
    and ``custom_imports`` are equal.
    """
    seen, chosen = set(), []
    for path in paths:
        key = _test_pipeline_key(path, shrink)
        if key not in seen:
            seen.add(key)
            chosen.append(path)
    return chosen


@functools.lru_cache(maxsize=None)
def _test_pipeline_key(path: str, shrink: bool) -> str:
    cfg = shrunk_config(path) if shrink else load_config(path)
    return repr((cfg.test_dataloader.dataset.pipeline, cfg.get('custom_imports')))
