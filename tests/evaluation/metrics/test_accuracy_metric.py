"""Tests for AccuracyMetric against hand-computed values."""
import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator

from vidreg.evaluation import AccuracyMetric
from vidreg.registry import METRICS
from vidreg.structures.video_data_sample import VideoDataSample

# (scores, label); ranking ties go to the lower class index.
SAMPLES = [
    ([0.7, 0.2, 0.1], 0),  # top1 hit
    ([0.2, 0.5, 0.3], 2),  # predicts 1; top2 hit
    ([0.1, 0.3, 0.6], 2),  # top1 hit
    ([0.5, 0.4, 0.1], 1),  # predicts 0; top2 hit
    ([0.3, 0.3, 0.4], 0),  # predicts 2; ranking [2, 0, 1]: top2 hit
]


def _sample(scores, label, path=None, idx=0) -> dict:
    sample = VideoDataSample(metainfo=dict(sample_idx=idx, num_views=1,
                                           **({'path': path} if path else {})))
    sample.set_gt_label(label, 'classification')
    sample.pred_score = torch.tensor(scores)
    sample.pred_label = torch.tensor(scores).argmax()
    return sample


def _evaluate(metric, samples) -> dict:
    metric.process(None, [s.to_dict() for s in samples])
    return metric.evaluate(len(samples))


def test_topk_mean_class_accuracy_and_confusion_matrix():
    samples = [_sample(s, y, f'v{i}.avi', i) for i, (s, y) in enumerate(SAMPLES)]
    metric = AccuracyMetric(topk=(1, 2, 5))
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    metrics = _evaluate(metric, samples)
    assert metrics == pytest.approx({'acc/top1': 0.4, 'acc/top2': 1.0,
                                     'acc/mean_class_accuracy': (0.5 + 0.0 + 0.5) / 3})
    details = metric.last_details
    np.testing.assert_array_equal(details['confusion_matrix'], [[1, 0, 1], [1, 0, 0], [0, 1, 1]])
    assert details['confusion_matrix'].dtype == np.int64
    assert details['classes'] == ['a', 'b', 'c']
    assert details['per_class_accuracy'] == {'a': 0.5, 'b': 0.0, 'c': 0.5}
    assert details['support'] == {'a': 2, 'b': 1, 'c': 2} and details['clip'] is None


def test_mean_class_accuracy_ignores_absent_classes_and_ties_lose():
    samples = [_sample([0.9, 0.1, 0.0, 0.0], 0, 'a'), _sample([0.6, 0.4, 0.0, 0.0], 1, 'b'),
               _sample([0.2, 0.6, 0.2, 0.0], 1, 'c'), _sample([0.25] * 4, 1, 'd')]
    metric = AccuracyMetric(topk=(1,), num_classes=4, prefix='val')
    metrics = _evaluate(metric, samples)
    # class 0: 1/1, class 1: 1/3 (the all-equal scores predict class 0); classes 2, 3 absent.
    assert metrics == pytest.approx({'val/top1': 0.5, 'val/mean_class_accuracy': (1 + 1 / 3) / 2})
    assert np.isnan(metric.last_details['per_class_accuracy']['2'])


def test_video_level_averages_clip_scores():
    samples = [_sample([0.6, 0.4, 0.0], 0, 'a.avi', 0), _sample([0.0, 0.4, 0.6], 0, 'a.avi', 1),
               _sample([0.2, 0.8, 0.0], 1, 'b.avi', 2)]
    metric = AccuracyMetric(topk=(1,))
    metrics = _evaluate(metric, samples)
    # video a averages to [0.3, 0.4, 0.3] -> class 1 (wrong); clip level gets 2 of 3 right.
    assert metrics == pytest.approx({
        'acc/top1': 0.5, 'acc/mean_class_accuracy': 0.5,
        'acc/clip/top1': 2 / 3, 'acc/clip/mean_class_accuracy': (0.5 + 1.0) / 2})
    assert list(metrics)[0] == 'acc/top1'  # save_best='auto' selects on videos
    video = metric.last_details
    np.testing.assert_array_equal(video['confusion_matrix'], [[0, 1, 0], [0, 1, 0], [0, 0, 0]])
    assert video['num_samples'] == 2 and video['clip']['num_samples'] == 3


def test_evaluator_with_registry_and_dataset_meta():
    evaluator = Evaluator(METRICS.build(dict(type='AccuracyMetric', topk=(1, 5))))
    evaluator.dataset_meta = dict(classes=['x', 'y'])  # wrong length: falls back to indices
    evaluator.process([_sample([0.1, 0.9], 1, 'p'), _sample([0.8, 0.2], 1, 'q')])
    assert evaluator.evaluate(2) == pytest.approx({'acc/top1': 0.5,
                                                   'acc/mean_class_accuracy': 0.5})
    evaluator.process([_sample([0.1, 0.7, 0.2], 1, 'p')])
    assert evaluator.evaluate(1)['acc/top1'] == 1.0  # results were cleared after evaluate
    assert evaluator.metrics[0].last_details['classes'] == ['0', '1', '2']


def test_non_finite_scores_give_nan_never_an_accuracy():
    # NaN scores would rank class 0 first: an accuracy of class 0's share, not of a model.
    nan = float('nan')
    samples = [_sample([nan, nan], 0, 'a', 0), _sample([0.9, 0.1], 0, 'b', 1)]
    metrics = _evaluate(AccuracyMetric(topk=(1, 2)), samples)
    assert sorted(metrics) == ['acc/mean_class_accuracy', 'acc/top1', 'acc/top2']
    assert all(np.isnan(value) for value in metrics.values())


def test_invalid_inputs_raise():
    with pytest.raises(ValueError, match='num_classes'):
        _evaluate(AccuracyMetric(num_classes=4), [_sample([0.5, 0.5], 0, 'a')])
    with pytest.raises(ValueError, match='out of range'):
        _evaluate(AccuracyMetric(), [_sample([0.5, 0.5], 2, 'a')])
    with pytest.raises(ValueError, match='different ground-truth'):
        _evaluate(AccuracyMetric(), [_sample([0.5, 0.5], 0, 'a'), _sample([0.5, 0.5], 1, 'a')])
    with pytest.raises(ValueError):
        AccuracyMetric(topk=(0,))
    with pytest.raises(TypeError):
        AccuracyMetric((1,))  # keyword-only


def test_clip_level_accuracy_from_the_views_beside_the_video_level():
    """A recognizer's multi-view prediction (views averaged) also carries each view's scores."""
    a = _sample([0.3, 0.4, 0.3], 0, 'a.avi', 0)
    a.pred_views = torch.tensor([[0.6, 0.4, 0.0], [0.0, 0.4, 0.6]])  # (V, K)
    b = _sample([0.2, 0.8, 0.0], 1, 'b.avi', 1)
    b.pred_views = torch.tensor([[0.2, 0.8, 0.0], [0.3, 0.7, 0.0]])
    metrics = _evaluate(AccuracyMetric(topk=(1,)), [a, b])
    # videos: a -> class 1 (wrong), b right; views: a 1 of 2, b 2 of 2
    assert metrics == pytest.approx({
        'acc/top1': 0.5, 'acc/mean_class_accuracy': 0.5,
        'acc/clip/top1': 0.75, 'acc/clip/mean_class_accuracy': (0.5 + 1.0) / 2})
