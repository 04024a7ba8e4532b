"""Check that a config's head fits its data: before the Runner builds anything, the task;
once the datasets are read, the class labels.

A classification head on regression targets (or the reverse) would otherwise fail deep inside
the model or the loss, e.g. ``ClsHead(num_classes=None)`` with torch's ``TypeError: empty()``;
a label beyond the head's classes with ``IndexError: Target 4 is out of bounds`` in the loss.
"""
import inspect
import os.path as osp
from typing import Iterator, Optional, Tuple

import numpy as np
from mmengine.config import Config

from vidreg.config import ConfigError
from vidreg.registry import DATASETS, MODELS

__all__ = ['check_labels_fit_head', 'check_model_task']

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


def _head(cfg: Config) -> Optional[dict]:
    """The config's ``model.head`` if it names a registered type, else ``None``."""
    head = (cfg.get('model') or {}).get('head')
    return head if isinstance(head, dict) and isinstance(head.get('type'), str) else None


def _num_classes(head: dict) -> object:
    """The head's ``num_classes``: given, or its class's default."""
    return head.get('num_classes', _default(MODELS.get(head['type']), 'num_classes'))


def _head_classes(cfg: Config) -> Optional[int]:
    """The number of classes of the config's classification head, or ``None``."""
    head = _head(cfg)
    if head is None or getattr(MODELS.get(head['type']), 'task', None) != 'classification':
        return None
    num_classes = _num_classes(head)
    return num_classes if isinstance(num_classes, int) else None


def _too_few_outputs(where: str, data: str, classes: int, head_classes: int) -> ConfigError:
    return ConfigError(
        f'{where}: {data} but model.head has num_classes={head_classes}, '
        f'so label {classes - 1} has no output. Set the num_classes knob to the number of '
        f'classes (--cfg-options num_classes={classes} sets the head and the datasets alike).')


def _class_label(label: object) -> Optional[int]:
    return int(label) if isinstance(label, (int, np.integer)) and not isinstance(label, bool) \
        else None


def check_labels_fit_head(cfg: Config, dataset: object, loader: str) -> None:
    """Raise :class:`~vidreg.config.ConfigError` when a class label of ``dataset`` has no
    output in the config's classification head.

    A dataset checks its labels against its own ``num_classes``; the head's comes from
    ``model.head.num_classes``, which ``--cfg-options model.head.num_classes=3`` changes
    alone, and a dataset without ``num_classes`` checks no upper bound. Datasets without
    mmengine's ``get_data_info`` (wrappers of several) and non-classification heads pass.

    Args:
        cfg: The run's config.
        dataset: A built dataset (``get_data_info(i)['label']`` is sample i's label).
        loader: The dataloader it belongs to, named in the message.
    """
    num_classes = _head_classes(cfg)
    if num_classes is None or not callable(getattr(dataset, 'get_data_info', None)):
        return
    labels = [_class_label(dataset.get_data_info(i).get('label')) for i in range(len(dataset))]
    highest = max((label for label in labels if label is not None), default=-1)
    if highest < num_classes:
        return
    source = getattr(dataset, 'ann_file', '') or type(dataset).__name__
    raise _too_few_outputs(loader, f'the labels of {source} go up to {highest} ({highest + 1} '
                           f'classes)', highest + 1, num_classes)


def check_model_task(cfg: Config) -> None:
    """Raise :class:`~vidreg.config.ConfigError` when the head does not fit the data's task.

    The head's task is its class attribute ``task`` (``ClsHead``: classification,
    ``RegHead``: regression); the data's task is each dataloader's ``dataset.task`` (or the
    dataset class's default). Also rejects a classification head without ``num_classes``, or
    with fewer than a dataset's ``num_classes``, and a regression head with batch augments
    (MixUp/CutMix mix class labels).
    Configs whose model has no head config, or whose datasets take no ``task``, pass.

    Args:
        cfg: A loaded config, after plugins are imported (its ``filename`` is named in errors).
    """
    head = _head(cfg)
    if head is None:
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
    augments = ((cfg.get('model') or {}).get('data_preprocessor') or {}).get('batch_augments')
    if head_task == 'regression' and augments:
        raise ConfigError(
            f"{where}: model.data_preprocessor.batch_augments mixes class labels "
            f"({augments.get('type') if isinstance(augments, dict) else augments}), but "
            f"model.head is {head['type']} (regression); remove batch_augments.")
    num_classes = _num_classes(head)
    if head_task == 'classification' and not isinstance(num_classes, int):
        raise ConfigError(
            f"{where}: model.head is {head['type']} with num_classes={num_classes!r}"
            f'; set num_classes to the number of classes, or for regression targets '
            f"{_config_for(where, 'regression')}.")
    for loader in _LOADERS:
        dataset = (cfg.get(loader) or {}).get('dataset')
        classes = dataset.get('num_classes') if isinstance(dataset, dict) else None
        if head_task == 'classification' and isinstance(classes, int) and classes > num_classes:
            raise _too_few_outputs(where, f'{loader}.dataset has num_classes={classes}', classes,
                                   num_classes)
