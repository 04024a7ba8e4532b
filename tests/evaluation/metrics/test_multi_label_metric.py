"""MultiLabelMetric: mAP and per-class AP, F1 at the head's threshold, the best threshold."""
import math

import numpy as np
import pytest
import torch

from vidreg.evaluation.metrics import MultiLabelMetric
from vidreg.evaluation.metrics.multi_label_metric import average_precision, f1_scores


def _sample(score, label, path=None, threshold=0.5):
    sample = dict(pred_score=torch.tensor(score), gt_label=torch.tensor(label, dtype=torch.float),
                  pred_threshold=torch.tensor(threshold))
    if path is not None:
        sample['path'] = path
    return sample


def _evaluate(samples, classes=None):
    metric = MultiLabelMetric()
    metric.dataset_meta = dict(classes=classes) if classes else None
    metric.process(None, samples)
    return metric.compute_metrics(metric.results), metric.last_details


def test_average_precision_by_hand_with_ties():
    # ranks 1 (hit), 2, 3 (hit), 4: AP = (1/1 + 2/3) / 2
    assert average_precision(np.array([.9, .8, .7, .6]), np.array([1, 0, 1, 0])) == \
        pytest.approx(5 / 6)
    # a tie between a hit and a miss counts as one cut: precision 1/2 there
    assert average_precision(np.array([.5, .5]), np.array([1, 0])) == pytest.approx(0.5)
    assert math.isnan(average_precision(np.array([.2, .3]), np.array([0, 0])))


def test_f1_micro_and_per_class():
    scores = np.array([[0.9, 0.2], [0.6, 0.7], [0.1, 0.8]])
    truth = np.array([[1, 0], [0, 1], [0, 0]])
    micro, per_class = f1_scores(scores, truth, 0.5)
    # class 0: TP 1, FP 1 -> 2/3; class 1: TP 1, FP 1 -> 2/3; micro 2*2 / (2*2 + 2)
    assert per_class.tolist() == pytest.approx([2 / 3, 2 / 3]) and micro == pytest.approx(2 / 3)


def test_metrics_name_classes_without_positives_and_choose_a_threshold():
    samples = [_sample([0.9, 0.3, 0.1], [1, 1, 0]), _sample([0.2, 0.35, 0.25], [0, 1, 0]),
               _sample([0.6, 0.1, 0.2], [1, 0, 0])]
    metrics, details = _evaluate(samples, classes=('a', 'b', 'c'))
    assert list(metrics)[0] == 'mAP'  # save_best='auto' keeps the best mAP
    assert details['per_class_ap']['a'] == pytest.approx(1.0)
    assert details['per_class_ap']['b'] == pytest.approx(1.0)
    assert math.isnan(details['per_class_ap']['c']) and metrics['mAP'] == pytest.approx(1.0)
    assert details['notes'] == ["class 'c' has no positive video: its AP is undefined and left "
                                'out of mAP']
    assert metrics['threshold'] == 0.5 and details['support'] == {'a': 2, 'b': 2, 'c': 0}
    # at 0.5 class b is missed twice; only at 0.30 is every decision right
    assert metrics['f1_micro'] < 1 and metrics['best_f1_micro'] == pytest.approx(1.0)
    assert metrics['best_threshold'] == pytest.approx(0.3)


def test_clips_of_a_video_are_averaged_and_a_diverged_model_gives_nan():
    samples = [_sample([0.9, 0.1], [1, 0], 'v1'), _sample([0.7, 0.3], [1, 0], 'v1'),
               _sample([0.2, 0.8], [0, 1], 'v2')]
    metrics, details = _evaluate(samples)
    assert details['num_samples'] == 2 and 'clip/mAP' in metrics
    diverged, _ = _evaluate([_sample([float('nan'), 0.1], [1, 0]), _sample([0.2, 0.8], [0, 1])])
    assert math.isnan(diverged['mAP']) and math.isnan(diverged['f1_micro'])


def test_single_label_samples_are_refused_with_the_reason():
    metric = MultiLabelMetric()
    with pytest.raises(ValueError, match='multi-hot vector is expected'):
        metric.process(None, [dict(pred_score=torch.rand(3), gt_label=torch.tensor(1))])
