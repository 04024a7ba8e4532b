"""The one place that maps configs stored by older vidreg versions to today's names.

A checkpoint carries the resolved config it was trained with (``meta.cfg``); tools that
rebuild a model from a checkpoint alone (:func:`vidreg.apis.init_model`, so
``tools/test.py --checkpoint``-style use, ``tools/infer.py``, ``tools/export.py``, and
``tools/fuse_checkpoints.py`` comparing stream configs) pass it through
:func:`upgrade_config` first, and every load of a checkpoint's weights (``init_model``, the
Runner's ``load_from``/``--resume``/``tools/test.py``, ``fuse_checkpoints``) passes them
through :func:`upgrade_checkpoint`, which renames the state-dict keys that the same rules
rename. Each rule below maps one name or argument that a redesign removed; a config or
checkpoint written today passes unchanged.
"""
import re
from typing import Any, Dict, Iterator, List, Mapping, Optional

from mmengine.config import Config

__all__ = ['upgrade_config', 'upgrade_checkpoint', 'upgrade_state_dict']

_DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
# Self-supervised branches were "losses" in vidreg/models/losses/ (issue 19: models/ssl/).
_RENAMED_TYPES = {'ArrowOfTimeLoss': 'ArrowOfTimeBranch',
                  'CycleConsistencyLoss': 'CycleConsistencyBranch'}
_RENAMED_PREFIXES = (('aux_losses.', 'branches.'),)  # MultiTaskRecognizer(aux_losses=...)
# Streams of a LateFusionRecognizer are named after what they read (issue 19): the old names
# 'spatial' and 'temporal' ('temporal' is the temporal module only) become these.
_OLD_STREAM_NAMES = ('spatial', 'temporal')
_STREAM_OF_INPUT = {'imgs': 'rgb'}  # any other input key names its stream: 'flow', 'sg3i'


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

    - ``ArrowOfTimeLoss`` / ``CycleConsistencyLoss`` are ``ArrowOfTimeBranch`` /
      ``CycleConsistencyBranch`` (``vidreg/models/ssl/``), and ``MultiTaskRecognizer``'s
      ``aux_losses`` is ``branches`` (state-dict keys ``aux_losses.*`` -> ``branches.*``).
    - ``LateFusionRecognizer`` streams named ``spatial`` / ``temporal`` are named after the
      input they read: ``rgb`` (``imgs``), ``flow``, ``sg3i`` (keys ``streams.<name>.*``
      follow, see :func:`upgrade_state_dict`).
    - Its fusion weights, a list, name their streams (issue 24): ``{stream: weight}``,
      the list read in the (spatial, temporal) order it meant for the old names, in the
      order of ``streams`` otherwise.

    A rule that no config can tell lives with its module: ``CycleConsistencyBranch``
    loads a checkpoint of the transform network it had before issue 24 (3x3 convolutions
    with bias) into that network.

    Raises:
        ValueError: Stated statistics differ from what the pipeline declares.
    """
    model = cfg.get('model')
    _rename_types(model)
    for node in _dicts(model):
        if 'aux_losses' in node and node.get('type') == 'MultiTaskRecognizer':
            node['branches'] = node.pop('aux_losses')
        if node.get('type') == 'LateFusionRecognizer' and isinstance(node.get('streams'), dict):
            renames = _stream_renames(node['streams'])
            _name_fusion_weights(node, renames)
            if renames:
                node['streams'] = {renames.get(name, name): stream
                                   for name, stream in node['streams'].items()}
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


def upgrade_state_dict(state_dict: Mapping[str, Any],
                       stored_cfg: Optional[Config] = None) -> Dict[str, Any]:
    """A state dict with the keys that :func:`upgrade_config`'s renames move, renamed.

    Args:
        state_dict: A checkpoint's state dict (keys as the model of its config had them).
        stored_cfg: The config stored with it, as stored (not upgraded): it tells which
            input an old stream read. None: only renames that need no config apply.

    Returns:
        A new dict, the same tensors; unchanged keys for a checkpoint written today.
    """
    rules = [(re.escape(old), new) for old, new in _RENAMED_PREFIXES]
    model = (stored_cfg or {}).get('model')
    for node in _dicts(model):
        if node.get('type') == 'LateFusionRecognizer' and isinstance(node.get('streams'), dict):
            rules += [(re.escape(f'streams.{old}.'), f'streams.{new}.')
                      for old, new in _stream_renames(node['streams']).items()]
    renamed = {}
    for key, value in state_dict.items():
        for pattern, new in rules:
            key, count = re.subn(f'^((?:module\\.)?){pattern}', f'\\g<1>{new}', key, count=1)
            if count:
                break
        renamed[key] = value
    return renamed


def upgrade_checkpoint(checkpoint: Dict[str, Any]) -> Dict[str, Any]:
    """Rename, in place, the old keys of a loaded checkpoint's weights; return it.

    The weights are ``checkpoint['state_dict']`` (or the checkpoint itself when it is a plain
    state dict); the old names are read from the config it stores (``meta.cfg``).
    """
    meta = checkpoint.get('meta')
    text = meta.get('cfg') if isinstance(meta, dict) else None
    stored = None
    if isinstance(text, str) and text.strip():
        stored = Config.fromstring(text, file_format='.py')
    weights = checkpoint.get('state_dict')
    if not isinstance(weights, dict):
        weights = checkpoint
    upgraded = upgrade_state_dict(weights, stored)
    if list(upgraded) != list(weights):
        weights.clear()
        weights.update(upgraded)
    return checkpoint


def _stream_renames(streams: Mapping[str, Any]) -> Dict[str, str]:
    """Old stream name -> the name of the input it reads, for the renamed streams only."""
    renames = {}
    for name, stream in streams.items():
        key = stream.get('input_key', 'imgs') if isinstance(stream, dict) else None
        if name in _OLD_STREAM_NAMES and key is not None:
            renames[name] = _STREAM_OF_INPUT.get(key, key)
    return renames


def _name_fusion_weights(node: dict, renames: Mapping[str, str]) -> None:
    """A ``LateFusionRecognizer`` config's list of fusion weights -> ``{stream: weight}``."""
    head = node.get('head')
    if not isinstance(head, dict) or not isinstance(head.get('weights'), (list, tuple)):
        return
    names = list(node['streams'])
    if set(names) == set(_OLD_STREAM_NAMES):  # weights were listed (spatial, temporal)
        names = list(_OLD_STREAM_NAMES)
    if len(names) != len(head['weights']):
        raise ValueError(f'The stored config gives {len(head["weights"])} fusion weights '
                         f'{list(head["weights"])} for the streams {names}: give one per '
                         f'stream, by name.')
    head['weights'] = {renames.get(name, name): weight
                       for name, weight in zip(names, head['weights'])}


def _rename_types(node: Any) -> None:
    """``type='ArrowOfTimeLoss'`` -> ``'ArrowOfTimeBranch'``, everywhere in ``node``."""
    for item in _dicts(node):
        if item.get('type') in _RENAMED_TYPES:
            item['type'] = _RENAMED_TYPES[item['type']]


def _dicts(node: Any) -> Iterator[dict]:
    """Every dict inside a config value (``node`` first), through dicts, lists and tuples."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _dicts(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _dicts(value)


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
