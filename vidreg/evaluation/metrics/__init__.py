"""Metrics, one per file, registered in ``vidreg.registry.METRICS``."""
from .accuracy_metric import AccuracyMetric
from .dump_predictions import DumpPredictions
from .regression_metric import RegressionMetric

__all__ = ['AccuracyMetric', 'DumpPredictions', 'RegressionMetric']
