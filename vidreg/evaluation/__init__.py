"""Evaluation: metrics (registered in ``METRICS``) and result plots."""
from .metrics import AccuracyMetric, DumpPredictions, OrdinalMetric, RegressionMetric
from .plots import save_confusion_matrix_png, save_training_curves_png

__all__ = ['AccuracyMetric', 'DumpPredictions', 'OrdinalMetric', 'RegressionMetric',
           'save_confusion_matrix_png', 'save_training_curves_png']
