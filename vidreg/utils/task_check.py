"""Check that a config's head fits the task of its data before the Runner builds anything.

A classification head on regression targets (or the reverse) would otherwise fail deep inside
the model or the loss, e.g. ``ClsHead(num_classes=None)`` with torch's ``TypeError: empty()``.
"""
import inspect
import os.path as osp
from typing import Iterator, Optional, Tuple

from mmengine.config import Config

from vidreg.config import ConfigError
from vidreg.registry import DATASETS, MODELS

__all__ = ['check_model_task']

_LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
_REGRESSION_SUFFIX = '_regression'
# What a head of each task needs, and a shipped config that has it.
_HEAD_HINT = {'classification': ("dict(type='ClsHead', num_classes=K)", 'configs/restcn_csv.py'),
              'regression': ("dict(type='RegHead', num_outputs=K)",
                             'configs/restcn_csv_regression.py')}


def _default(cls: object, argument: str) -> object:
    """The default of ``cls``'s constructor ``argument``; None if it has none or no such one."""
    if not inspect.isclass(cls):
        return None
    parameter = inspect.signature(cls).parameters.get(argument)
    if parameter is None or parameter.default is inspect.Parameter.empty:
        return None
    return parameter.default


def _data_tasks(cfg: Config) -> Iterator[Tuple[str, str]]:
    """``(loader name, task)`` of each dataloader whose dataset declares a task."""
    for name in _LOADERS:
        dataset = (cfg.get(name) or {}).get('dataset')
        if not isinstance(dataset, dict) or not isinstance(dataset.get('type'), str):
            continue
        task = dataset.get('task', _default(DATASETS.get(dataset['type']), 'task'))
        if isinstance(task, str):
            yield name, task


def _config_for(cfg_file: str, task: str) -> str:
    """The config to use for ``task``: the ``_regression`` sibling (or its base) if it exists."""
    stem, ext = osp.splitext(cfg_file)
    is_regression = stem.endswith(_REGRESSION_SUFFIX)
    sibling = None
    if task == 'regression' and not is_regression:
        sibling = f'{stem}{_REGRESSION_SUFFIX}{ext}'
    elif task == 'classification' and is_regression:
        sibling = f'{stem[:-len(_REGRESSION_SUFFIX)]}{ext}'
    head, example = _HEAD_HINT[task]
    if sibling is not None and osp.isfile(sibling):
        return f'use {osp.relpath(sibling)} instead'
    return f'set model.head={head} (as {example} does)'


def check_model_task(cfg: Config) -> None:
    """Raise :class:`~vidreg.config.ConfigError` when the head does not fit the data's task.

    The head's task is its class attribute ``task`` (``ClsHead``: classification,
    ``RegHead``: regression); the data's task is each dataloader's ``dataset.task`` (or the
    dataset class's default). Also rejects a classification head without ``num_classes``.
    Configs whose model has no head config, or whose datasets take no ``task``, pass.

    Args:
        cfg: A loaded config, after plugins are imported (its ``filename`` is named in errors).
    """
    head = (cfg.get('model') or {}).get('head')
    if not isinstance(head, dict) or not isinstance(head.get('type'), str):
        return
    head_task: Optional[str] = getattr(MODELS.get(head['type']), 'task', None)
    if head_task is None:
        return
    where = cfg.filename or '<config>'
    for loader, data_task in _data_tasks(cfg):
        if data_task in _HEAD_HINT and data_task != head_task:  # the dataset rejects others
            raise ConfigError(
                f"{where}: {loader} has task={data_task!r} but model.head is {head['type']} "
                f'({head_task}); {_config_for(where, data_task)}.')
    num_classes = head.get('num_classes', _default(MODELS.get(head['type']), 'num_classes'))
    if head_task == 'classification' and not isinstance(num_classes, int):
        raise ConfigError(
            f"{where}: model.head is {head['type']} with num_classes={num_classes!r}"
            f'; set num_classes to the number of classes, or for regression targets '
            f"{_config_for(where, 'regression')}.")
