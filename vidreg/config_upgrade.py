"""The one place that maps configs stored by older vidreg versions to today's names.

A checkpoint carries the resolved config it was trained with (``meta.cfg``); tools that
rebuild a model from a checkpoint alone (:func:`vidreg.apis.init_model`, so
``tools/test.py --checkpoint``-style use, ``tools/infer.py``, ``tools/export.py``, and
``tools/fuse_checkpoints.py`` comparing stream configs) pass it through
:func:`upgrade_config` first. Each rule below maps one name or argument that a redesign
removed; a config written today passes unchanged.
"""
from typing import Any, Dict, List

from mmengine.config import Config

__all__ = ['upgrade_config']

_DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def upgrade_config(cfg: Config) -> Config:
    """Rewrite, in place, what older configs wrote differently; return ``cfg``.

    Rules (issue 19):

    - A dataset's ``clips=dict(...)`` (every clip a sample; rows carried their frames and
      the pipeline had no sampler) becomes the pipeline's sampler
      ``EveryClipSampleFrames(**clips)`` after its ``OpenVideo`` steps, the one mechanism
      that picks clips now.
    """
    for name in _DATALOADERS:
        dataset = (cfg.get(name) or {}).get('dataset')
        if isinstance(dataset, dict) and dataset.get('clips'):
            _clips_to_sampler(dataset)
    return cfg


def _clips_to_sampler(dataset: Dict[str, Any]) -> None:
    """``dataset.clips`` -> ``EveryClipSampleFrames`` after the last ``OpenVideo``."""
    clips = dict(dataset.pop('clips'))
    pipeline: List[dict] = list(dataset.get('pipeline') or [])
    opens = [i for i, step in enumerate(pipeline) if step.get('type') == 'OpenVideo']
    position = opens[-1] + 1 if opens else 0
    pipeline.insert(position, dict(type='EveryClipSampleFrames', **clips))
    dataset['pipeline'] = pipeline
