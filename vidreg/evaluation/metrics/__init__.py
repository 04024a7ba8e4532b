"""Metrics, one per file, registered in ``vidreg.registry.METRICS``."""
from .accuracy_metric import AccuracyMetric
from .dump_predictions import DumpPredictions
from .ordinal_metric import OrdinalMetric
from .regression_metric import RegressionMetric
from .task_metric import task_metric

__all__ = ['AccuracyMetric', 'DumpPredictions', 'OrdinalMetric', 'RegressionMetric', 'task_metric']
