"""OrdinalMetric scores a classifier, an ordinal head and a regressor on the same levels."""
import numpy as np
import pytest
import torch

from vidreg.evaluation import OrdinalMetric
from vidreg.evaluation.metrics.agreement_scores import quadratic_weighted_kappa
from vidreg.registry import METRICS
from vidreg.structures.video_data_sample import VideoDataSample
from vidreg.utils import register_all_modules

register_all_modules()
TRUE = [0, 1, 2, 3, 3, 1]


def _samples(preds, labels, field, task, paths=None):
    out = []
    for i, (pred, label) in enumerate(zip(preds, labels)):
        sample = VideoDataSample(metainfo=dict(sample_idx=i, path=paths[i] if paths else f'{i}'))
        sample.set_gt_label(label, task)
        sample.set_field(torch.as_tensor(pred, dtype=torch.float32).reshape(-1), field)
        out.append(sample.to_dict())
    return out


def _evaluate(samples, **kwargs):
    metric = METRICS.build(dict(type='OrdinalMetric', num_levels=4, **kwargs))
    metric.process(None, samples)
    return metric.evaluate(len(samples))


def test_scores_and_values_that_mean_the_same_levels_score_the_same():
    levels = [0, 2, 2, 3, 1, 1]
    scores = np.eye(4)[levels] * 0.7 + 0.075  # the most probable level is `levels`
    from_scores = _evaluate(_samples(scores, TRUE, 'pred_score', 'classification'))
    values = [0.2, 1.6, 2.4, 3.7, 0.6, 1.4]  # rounded and clipped to the same levels
    from_values = _evaluate(_samples(values, [float(t) for t in TRUE], 'pred_value',
                                     'regression'))
    true, pred = np.array(TRUE), np.array(levels)
    expected = {'ordinal/qwk': quadratic_weighted_kappa(true, pred, 4),
                'ordinal/mae': np.abs(true - pred).mean(),
                'ordinal/accuracy': (true == pred).mean()}
    assert from_scores == pytest.approx(expected) and from_values == pytest.approx(expected)
    assert list(from_scores) == list(expected)


def test_clip_rows_are_averaged_per_video_and_bad_inputs_are_named():
    values = [0.0, 2.0, 3.0]  # video a: (0 + 2) / 2 = 1 -> level 1
    metrics = _evaluate(_samples(values, [1.0, 1.0, 3.0], 'pred_value', 'regression',
                                 paths=['a', 'a', 'b']))
    assert metrics['ordinal/accuracy'] == 1.0 and metrics['ordinal/mae'] == 0.0
    with pytest.raises(ValueError, match='num_levels=4.*3 classes'):
        _evaluate(_samples([[0.2, 0.3, 0.5]], [1], 'pred_score', 'classification'))
    nan = _evaluate(_samples([float('nan'), 1.0], [0.0, 1.0], 'pred_value', 'regression'))
    assert all(np.isnan(value) for value in nan.values())
    with pytest.raises(ValueError, match='num_levels >= 2'):
        OrdinalMetric(num_levels=1)
