"""The one place that maps configs stored by older vidreg versions to today's names.

A checkpoint carries the resolved config it was trained with (``meta.cfg``); tools that
rebuild a model from a checkpoint alone (:func:`vidreg.apis.init_model`, so
``tools/test.py --checkpoint``-style use, ``tools/infer.py``, ``tools/export.py``, and
``tools/fuse_checkpoints.py`` comparing stream configs) pass it through
:func:`upgrade_config` first. Each rule below maps one name or argument that a redesign
removed; a config written today passes unchanged.
"""
from typing import Any, Dict, Iterator, List

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
    - ``VideoDataPreprocessor(std=None)`` (subtract the mean only) becomes ``std`` of ones
      (``None`` now means the pipeline's statistics).
    - ``VideoDataPreprocessor(modalities={name: dict(mean=..., std=...)})``: the statistics
      of the non-RGB inputs now come from the pipeline; they are dropped when they are the
      pipeline's (every shipped config), else the config cannot be upgraded safely.
      Stated backbone ``in_channels`` stay: the model builder checks them against the
      pipeline.

    Raises:
        ValueError: Stated statistics differ from what the pipeline declares.
    """
    for name in _DATALOADERS:
        dataset = (cfg.get(name) or {}).get('dataset')
        if isinstance(dataset, dict) and dataset.get('clips'):
            _clips_to_sampler(dataset)
    preprocessors = list(_preprocessors(cfg.get('model')))
    for preprocessor in preprocessors:
        if 'std' in preprocessor and preprocessor['std'] is None:
            preprocessor['std'] = (1.0,) * len(preprocessor.get('mean') or (1.0, 1.0, 1.0))
    stated = [p for p in preprocessors if isinstance(p.get('modalities'), dict)]
    if stated:
        _drop_pipeline_statistics(cfg, stated)
    return cfg


def _preprocessors(node: Any) -> Iterator[dict]:
    """Every ``VideoDataPreprocessor`` config inside a model config."""
    if isinstance(node, dict):
        if node.get('type') == 'VideoDataPreprocessor':
            yield node
        for value in node.values():
            yield from _preprocessors(value)


def _drop_pipeline_statistics(cfg: Config, preprocessors: List[dict]) -> None:
    """Remove ``modalities`` statistics that are what the pipeline declares."""
    from vidreg.models.build_model import config_modalities
    from vidreg.plugins import import_custom_imports
    import_custom_imports(cfg.get('custom_imports'))  # the pipeline may use a plugin's steps
    specs = config_modalities(cfg) or {}
    for preprocessor in preprocessors:
        for name, stats in preprocessor.pop('modalities').items():
            spec = specs.get(name)
            declared = None if spec is None else dict(mean=spec.mean, std=spec.std)
            given = dict(mean=tuple(map(float, stats.get('mean', ()))),
                         std=tuple(map(float, stats.get('std', ()))))
            if declared != given or stats.get('channel_order', 'rgb') != 'rgb':
                raise ValueError(
                    f'The stored config normalises the input {name!r} with {dict(stats)}, but '
                    f'its pipeline declares {declared}; vidreg takes the statistics of every '
                    f'input from its pipeline now, so this checkpoint cannot be rebuilt as '
                    f'trained. Pass a config that declares them (--config).')


def _clips_to_sampler(dataset: Dict[str, Any]) -> None:
    """``dataset.clips`` -> ``EveryClipSampleFrames`` after the last ``OpenVideo``."""
    clips = dict(dataset.pop('clips'))
    pipeline: List[dict] = list(dataset.get('pipeline') or [])
    opens = [i for i, step in enumerate(pipeline) if step.get('type') == 'OpenVideo']
    position = opens[-1] + 1 if opens else 0
    pipeline.insert(position, dict(type='EveryClipSampleFrames', **clips))
    dataset['pipeline'] = pipeline
