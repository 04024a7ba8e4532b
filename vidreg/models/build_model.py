"""Build a config's model from the modality specs its data pipelines declare.

The one way vidreg builds a model from a config (the Runner, ``init_model``, export,
checkpoint fusion and the config tests): what the data produces, its modalities' channels,
kind and normalisation (:class:`~vidreg.pipeline.ModalitySpec`), is handed to the model, as
detectron2 hands ``ShapeSpec`` between modules. So a backbone's ``in_channels`` and the
statistics of ``VideoDataPreprocessor`` follow the pipeline: changing the number of flow
fields, or stacking them as channels, in the data part alone gives a working model.
"""
import inspect
from typing import Mapping, Optional

from torch import nn

from vidreg.pipeline import Compose
from vidreg.pipeline.modality import Modalities
from vidreg.registry import MODELS

__all__ = ['build_model', 'config_modalities']

DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def config_modalities(cfg: Mapping) -> Optional[Modalities]:
    """The modalities the pipelines of a config's dataloaders pack, checked to agree.

    Train, val and test pipelines must pack the same names with the same kind, channels
    and statistics (T may differ: a test clip can be longer than a training one).

    Args:
        cfg: A config (or dict) with ``*_dataloader.dataset.pipeline`` entries; plugins it
            names in ``custom_imports`` must be imported (the tools do it).

    Returns:
        Name -> spec (the train pipeline's, else the first one's), or ``None`` when the
        config has no pipeline.

    Raises:
        ValueError: Two pipelines pack different modalities (both are named).
    """
    found = {}
    for name in DATALOADERS:
        loader = cfg.get(name)
        dataset = loader.get('dataset') if isinstance(loader, Mapping) else None
        if isinstance(dataset, Mapping) and dataset.get('pipeline'):
            found[name] = Compose(dataset['pipeline']).modalities()
    if not found:
        return None
    (first, specs), *others = found.items()
    for name, other in others:
        if set(other) != set(specs) or not all(specs[key].matches(other[key]) for key in specs):
            raise ValueError(f'The {first} and {name} pipelines pack different inputs; the model '
                             f'reads one kind of data.\n  {first}: {_listed(specs)}\n  '
                             f'{name}: {_listed(other)}')
    return specs


def _listed(specs: Modalities) -> str:
    return ', '.join(f'{name}: {spec.kind} x{spec.channels}' for name, spec in specs.items())


def build_model(cfg: Mapping, model: Optional[dict] = None) -> nn.Module:
    """Build ``cfg.model`` (or ``model``) with the modality specs of ``cfg``'s pipelines.

    Args:
        cfg: A resolved config: its dataloaders' pipelines give the specs
            (:func:`config_modalities`).
        model: The model config to build instead of ``cfg['model']``.

    Returns:
        The model; a recognizer gets ``modalities`` (a model class that takes none is built
        as configured).

    Raises:
        ValueError: The pipelines disagree, or the model contradicts them (a stated
            ``in_channels`` its input does not have, an input the pipeline does not pack).
    """
    model = dict(cfg['model'] if model is None else model)
    modalities = config_modalities(cfg)
    cls = MODELS.get(model.get('type')) if isinstance(model.get('type'), str) else None
    if modalities is None or cls is None or 'modalities' not in inspect.signature(cls).parameters:
        return MODELS.build(model)
    return MODELS.build(model, default_args=dict(modalities=modalities))
