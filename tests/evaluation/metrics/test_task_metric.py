"""TaskMetric: the metric a dataset fragment's task knob names, built through the registry."""
import pytest

from vidreg.config import ConfigError
from vidreg.evaluation import AccuracyMetric, RegressionMetric
from vidreg.registry import METRICS
from vidreg.utils import register_all_modules

register_all_modules()


def test_the_task_picks_the_metric_and_passes_its_arguments():
    accuracy = METRICS.build(dict(type='TaskMetric', task='classification', topk=(1, 3)))
    assert isinstance(accuracy, AccuracyMetric) and accuracy.topk == (1, 3)
    regression = METRICS.build(dict(type='TaskMetric', task='regression', topk=(1, 5)))
    assert isinstance(regression, RegressionMetric) and regression.prefix == 'reg'


def test_an_unknown_task_names_the_values_it_takes():
    with pytest.raises(ConfigError, match="'regression' or 'multilabel'"):
        METRICS.build(dict(type='TaskMetric', task='regresion'))
