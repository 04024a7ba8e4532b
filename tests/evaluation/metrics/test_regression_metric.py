"""Tests for RegressionMetric against numpy and SciPy."""
import numpy as np
import pytest
import torch
from scipy import stats

from vidreg.evaluation import RegressionMetric
from vidreg.evaluation.metrics.regression_metric import average_ranks
from vidreg.structures.video_data_sample import VideoDataSample


def _samples(preds, targets, paths=None) -> list[dict]:
    out = []
    for i, (pred, target) in enumerate(zip(preds, targets)):
        sample = VideoDataSample(metainfo=dict(sample_idx=i, num_views=1,
                                               path=paths[i] if paths else f'v{i}.avi'))
        sample.set_gt_label(target, 'regression')
        sample.pred_value = torch.as_tensor(np.asarray(pred, dtype=np.float32)).reshape(-1)
        out.append(sample.to_dict())
    return out


def _evaluate(metric, samples) -> dict:
    metric.process(None, samples)
    return metric.evaluate(len(samples))


def test_average_ranks_match_scipy():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0])
    np.testing.assert_allclose(average_ranks(x), stats.rankdata(x))
    np.testing.assert_allclose(average_ranks(np.array([2.0, 2.0, 2.0])), [2.0, 2.0, 2.0])


def test_single_output_matches_scipy_with_ties():
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 4, 40).astype(np.float32)  # many ties
    preds = (targets + rng.normal(0, 1, 40)).round().astype(np.float32)  # ties too
    metrics = _evaluate(RegressionMetric(), _samples(preds, targets))
    p, t = preds.astype(np.float64), targets.astype(np.float64)
    assert metrics == pytest.approx({
        'reg/mse': np.mean((p - t) ** 2), 'reg/rmse': np.sqrt(np.mean((p - t) ** 2)),
        'reg/mae': np.mean(np.abs(p - t)), 'reg/pearson': stats.pearsonr(p, t)[0],
        'reg/spearman': stats.spearmanr(p, t)[0],
        'reg/ccc': 2 * np.cov(p, t, bias=True)[0, 1] / (p.var() + t.var() + (p.mean() - t.mean())
                                                        ** 2),
        'reg/r2': 1 - np.sum((t - p) ** 2) / np.sum((t - t.mean()) ** 2)})


def test_multi_output_averages_per_output_values():
    preds = np.array([[0.0, 1.0], [1.0, 3.0], [2.0, 2.0], [4.0, 0.0]])
    targets = np.array([[0.0, 2.0], [1.0, 2.0], [3.0, 2.5], [3.0, 1.0]])
    metric = RegressionMetric(prefix='r')
    metrics = _evaluate(metric, _samples(preds, targets))
    per = metric.last_details['per_output']
    assert per['mse'] == pytest.approx([0.5, (1 + 1 + 0.25 + 1) / 4])
    assert per['rmse'] == pytest.approx(np.sqrt(per['mse']))
    assert per['mae'] == pytest.approx([0.5, (1 + 1 + 0.5 + 1) / 4])
    for k in range(2):
        assert per['pearson'][k] == pytest.approx(stats.pearsonr(preds[:, k], targets[:, k])[0])
        assert per['spearman'][k] == pytest.approx(
            stats.spearmanr(preds[:, k], targets[:, k])[0])
    for name in ('mse', 'rmse', 'mae', 'pearson', 'spearman', 'ccc', 'r2'):
        assert metrics[f'r/{name}'] == pytest.approx(np.mean(per[name]))
        # each target also alone, by index when the dataset names none
        assert [metrics[f'r/{k}/{name}'] for k in (0, 1)] == pytest.approx(per[name])


def test_targets_are_reported_by_the_dataset_names():
    metric = RegressionMetric()
    metric.dataset_meta = dict(task='regression', targets=('valence', 'arousal'))
    metrics = _evaluate(metric, _samples([[0.0, 1.0], [1.0, 3.0], [2.0, 2.0]],
                                         [[0.0, 2.0], [1.0, 2.0], [3.0, 2.5]]))
    assert metrics['reg/valence/mae'] == pytest.approx(1 / 3)
    assert metrics['reg/arousal/mae'] == pytest.approx((1 + 1 + 0.5) / 3)
    assert metrics['reg/valence/r2'] == pytest.approx(1 - 1 / (42 / 9))  # mean 4/3
    assert list(metrics)[0] == 'reg/mse'  # the averages first: save_best='auto' takes them
    single = _evaluate(RegressionMetric(), _samples([0.0, 1.0], [0.0, 2.0]))
    assert not [key for key in single if key.count('/') > 1]  # one target: no per-target keys


def test_constant_predictions_give_zero_correlation_and_a_note():
    metric = RegressionMetric()
    metrics = _evaluate(metric, _samples([0.5] * 4, [0.1, 0.2, 0.3, 0.4]))
    assert metrics['reg/pearson'] == 0.0 and metrics['reg/spearman'] == 0.0
    assert metrics['reg/mae'] == pytest.approx(0.25, abs=1e-6)
    assert len(metric.last_details['notes']) == 2
    one = _evaluate(RegressionMetric(), _samples([0.5], [0.1]))  # a single sample
    assert one['reg/pearson'] == 0.0 and one['reg/mse'] == pytest.approx(0.16, abs=1e-6)


def test_non_finite_predictions_give_nan_never_a_number():
    metric = RegressionMetric()
    nan = float('nan')
    metrics = _evaluate(metric, _samples([[nan, 0.1], [nan, 0.3], [nan, 0.2]],
                                         [[0.1, 0.1], [0.2, 0.3], [0.3, 0.2]]))
    per = metric.last_details['per_output']
    for name in ('mse', 'rmse', 'mae', 'pearson', 'spearman', 'ccc', 'r2'):
        assert np.isnan(per[name][0]) and np.isfinite(per[name][1])  # output 1 is fine
        assert np.isnan(metrics[f'reg/{name}'])  # the mean over outputs
    assert 'output 0 has non-finite predictions' in metric.last_details['notes'][0]
    inf = _evaluate(RegressionMetric(), _samples([float('inf'), 1.0], [0.1, 0.2]))
    assert inf['reg/mse'] == float('inf') and np.isnan(inf['reg/pearson'])


def test_video_level_averages_clip_predictions():
    preds, targets = [0.0, 1.0, 2.0, 4.0], [0.5, 0.5, 3.0, 1.0]
    metric = RegressionMetric()
    metrics = _evaluate(metric, _samples(preds, targets, ['a', 'a', 'b', 'c']))
    assert metrics['reg/clip/mae'] == pytest.approx((0.5 + 0.5 + 1 + 3) / 4)
    # videos: a -> 0.5 (target 0.5), b -> 2 (3), c -> 4 (1)
    assert metrics['reg/mae'] == pytest.approx((0 + 1 + 3) / 3)
    assert metrics['reg/mse'] == pytest.approx((0 + 1 + 9) / 3)
    assert list(metrics)[0] == 'reg/mse'  # the plain (video) keys come first
    assert metric.last_details['num_samples'] == 3
    assert metric.last_details['clip']['num_samples'] == 4


def test_unique_paths_give_plain_keys_and_mismatch_raises():
    metrics = _evaluate(RegressionMetric(), _samples([1.0, 2.0, 3.0], [1.0, 2.0, 2.5]))
    assert sorted(metrics) == ['reg/ccc', 'reg/mae', 'reg/mse', 'reg/pearson', 'reg/r2',
                               'reg/rmse', 'reg/spearman']
    with pytest.raises(ValueError, match='outputs'):
        RegressionMetric().process(None, _samples([[1.0, 2.0]], [1.0]))
