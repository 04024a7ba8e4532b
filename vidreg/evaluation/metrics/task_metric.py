"""The metric of a task, so that a dataset fragment names it in one line whatever its task knob
says (``dict(type='TaskMetric', task=task, topk=(1, 5))``): configs hold no ``if``."""
from typing import Optional, Sequence

from mmengine.evaluator import BaseMetric

from vidreg.config import ConfigError
from vidreg.registry import METRICS

from .accuracy_metric import AccuracyMetric
from .multi_label_metric import MultiLabelMetric
from .regression_metric import RegressionMetric

__all__ = ['task_metric']


def task_metric(task: str, *, topk: Sequence[int] = (1, 5), num_classes: Optional[int] = None,
                collect_device: str = 'cpu', prefix: Optional[str] = None) -> BaseMetric:
    """:class:`AccuracyMetric` for ``task='classification'``, :class:`RegressionMetric` for
    ``task='regression'`` (which ignores ``topk`` and ``num_classes``),
    :class:`MultiLabelMetric` for ``task='multilabel'`` (which ignores ``topk``).

    Raises:
        ConfigError: ``task`` is neither, named with the values it takes.
    """
    if task == 'classification':
        return AccuracyMetric(topk=topk, num_classes=num_classes, collect_device=collect_device,
                              prefix=prefix)
    if task == 'regression':
        return RegressionMetric(collect_device=collect_device, prefix=prefix)
    if task == 'multilabel':
        return MultiLabelMetric(num_classes=num_classes, collect_device=collect_device,
                                prefix=prefix)
    raise ConfigError(f"TaskMetric: task={task!r}; use task='classification', "
                      f"'regression' or 'multilabel' (the config's task knob).")


METRICS.register_module(name='TaskMetric', module=task_metric)
