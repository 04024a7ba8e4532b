"""Multi-label metrics: mAP, per-class AP, micro/macro F1 at a threshold, and the best threshold."""
from typing import Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from vidreg.registry import METRICS

from .video_aggregation import average_per_video, sample_values, video_key

__all__ = ['MultiLabelMetric', 'average_precision', 'f1_scores']

# Thresholds tried when choosing the one with the best micro F1: 0.05, 0.10, ..., 0.95.
CANDIDATE_THRESHOLDS = np.round(np.arange(1, 20) * 0.05, 2)


def average_precision(scores: np.ndarray, truth: np.ndarray) -> float:
    """Average precision of one class: the mean of the precision at each true video's rank.

    Tied scores count as one cut (as scikit-learn's ``average_precision_score``): the
    precision of a group of ties is taken after the whole group.

    Args:
        scores: Scores of N videos, (N,).
        truth: 0/1 of N videos, (N,).

    Returns:
        AP in [0, 1]; NaN when no video has the class (AP is undefined) or a score is not finite.
    """
    positives = truth.sum()
    if positives == 0 or not np.isfinite(scores).all():
        return float('nan')
    order = np.argsort(-scores, kind='stable')
    ordered, hits = scores[order], truth[order].astype(np.float64)
    true_positives = np.cumsum(hits)  # (N,)
    group_ends = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))  # last of each tie
    tp = true_positives[group_ends]
    precision = tp / (group_ends + 1)
    recall_gain = np.diff(np.concatenate(([0.0], tp))) / positives
    return float((precision * recall_gain).sum())


def f1_scores(scores: np.ndarray, truth: np.ndarray, threshold: float) -> tuple[float, np.ndarray]:
    """Micro F1 and per-class F1 of the decisions ``scores >= threshold``.

    Args:
        scores: (N, K) probabilities.
        truth: (N, K) 0/1.
        threshold: The decision threshold.

    Returns:
        Micro F1 (over every video x class decision) and per-class F1 (K,), NaN for a class
        that is neither present nor predicted (F1 is undefined there).
    """
    predicted = scores >= threshold
    present = truth.astype(bool)
    tp = (predicted & present).sum(axis=0).astype(np.float64)  # (K,)
    errors = (predicted != present).sum(axis=0)  # (K,) false positives + false negatives
    with np.errstate(invalid='ignore', divide='ignore'):
        per_class = 2 * tp / (2 * tp + errors)
    denominator = 2 * tp.sum() + errors.sum()
    micro = float(2 * tp.sum() / denominator) if denominator else float('nan')
    return micro, per_class


def _details(scores: np.ndarray, truth: np.ndarray, threshold: float,
             class_names: list[str]) -> tuple[dict[str, float], dict]:
    """Scalars and details for scores and truth (N, K) at ``threshold``."""
    ap = np.array([average_precision(scores[:, k], truth[:, k]) for k in range(truth.shape[1])])
    micro, per_class_f1 = f1_scores(scores, truth, threshold)
    support = truth.sum(axis=0).astype(int)
    notes = [f'class {name!r} has no positive video: its AP is undefined and left out of mAP'
             for name, n in zip(class_names, support) if n == 0]
    best = [(f1_scores(scores, truth, t)[0], -abs(t - 0.5), t) for t in CANDIDATE_THRESHOLDS]
    best_f1, _, best_threshold = max(best, key=lambda item: (np.nan_to_num(item[0], nan=-1),
                                                             item[1]))
    finite = bool(np.isfinite(scores).all())
    metrics = dict(
        mAP=float(np.nanmean(ap)) if finite and np.isfinite(ap).any() else float('nan'),
        f1_micro=micro, f1_macro=float(np.nanmean(per_class_f1)) if np.isfinite(
            per_class_f1).any() else float('nan'),
        threshold=float(threshold), best_threshold=float(best_threshold),
        best_f1_micro=float(best_f1))
    if not finite:  # a diverged model: nothing it ranks means anything
        metrics = {name: (value if 'threshold' in name else float('nan'))
                   for name, value in metrics.items()}
    details = dict(classes=class_names,
                   per_class_ap={name: float(v) for name, v in zip(class_names, ap)},
                   per_class_f1={name: float(v) for name, v in zip(class_names, per_class_f1)},
                   support={name: int(n) for name, n in zip(class_names, support)},
                   num_samples=len(truth), threshold=float(threshold), notes=notes)
    return metrics, details


@METRICS.register_module()
class MultiLabelMetric(BaseMetric):
    """Mean average precision, per-class AP and F1 of multi-label predictions.

    Reads ``gt_label`` ((K,) multi-hot), ``pred_score`` ((K,) sigmoid probabilities),
    ``pred_threshold`` (the head's decision threshold; 0.5 when absent) and metainfo ``path``
    of each sample. Scalars (before mmengine adds ``<prefix>/``), per video:

    - ``mAP``: the mean over classes of their average precision (threshold-free; the first
      key, so ``save_best='auto'`` keeps the best checkpoint by mAP). A class without any
      positive video has no AP: it is left out of the mean and named in
      ``last_details['notes']``;
    - ``f1_micro`` (over every video x class decision) and ``f1_macro`` (mean of the
      per-class F1, over the classes present or predicted) at ``threshold``, the head's;
    - ``best_threshold`` and ``best_f1_micro``: of the thresholds 0.05, 0.10, ..., 0.95, the one
      with the highest micro F1 on these videos (ties: nearest 0.5). On the validation split
      :class:`~vidreg.engine.hooks.MultiLabelThresholdHook` stores it in the head, so the
      checkpoint, ``tools/test.py`` and inference use the threshold chosen on validation.

    Non-finite scores (a diverged model) make every scalar but the thresholds NaN. When several
    results share a ``path`` (clip rows), the plain keys score the videos (scores averaged)
    and ``clip/mAP`` the rows.

    After ``compute_metrics``, ``last_details`` holds ``classes``, ``per_class_ap`` and
    ``per_class_f1`` (name -> value, NaN where undefined), ``support`` (name -> positive videos),
    ``num_samples``, ``threshold`` and ``notes``.

    Args:
        num_classes: K. ``None`` takes it from the length of ``pred_score``; when given, a
            mismatch raises ``ValueError``.
        collect_device: ``'cpu'`` or ``'gpu'``, where results are gathered across ranks.
        prefix: Key prefix; ``None`` means ``'multilabel'`` (logged as ``multilabel/mAP``).
    """

    default_prefix: Optional[str] = 'multilabel'

    def __init__(self, *, num_classes: Optional[int] = None, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.num_classes = num_classes
        self.last_details: dict = {}

    def process(self, data_batch: object, data_samples: Sequence[dict]) -> None:
        """Keep the multi-hot truth, scores, threshold and video key of every sample."""
        for data_sample in data_samples:
            score = sample_values(data_sample, 'pred_score', 'MultiLabelMetric')
            label = sample_values(data_sample, 'gt_label', 'MultiLabelMetric')
            if label.shape != score.shape:
                raise ValueError(f'MultiLabelMetric: pred_score has {score.size} classes but '
                                 f'gt_label has {label.size} values (a multi-hot vector is '
                                 'expected: use a multi-label dataset, task="multilabel")')
            threshold = data_sample.get('pred_threshold', 0.5)
            self.results.append(dict(key=video_key(data_sample, len(self.results)),
                                     score=score, label=label,
                                     threshold=float(torch.as_tensor(threshold))))

    def compute_metrics(self, results: list) -> dict[str, float]:
        """Compute the per-video scalars (and ``clip/mAP`` where rows are clips)."""
        if not results:
            self.last_details = {}
            return {}
        scores = np.stack([r['score'] for r in results])  # (N, K)
        labels = np.stack([r['label'] for r in results])  # (N, K)
        if self.num_classes is not None and self.num_classes != scores.shape[1]:
            raise ValueError(f'MultiLabelMetric(num_classes={self.num_classes}) got pred_score '
                             f'with {scores.shape[1]} classes')
        names = (self.dataset_meta or {}).get('classes')
        names = ([str(n) for n in names] if names is not None and len(names) == scores.shape[1]
                 else [str(k) for k in range(scores.shape[1])])
        threshold = results[-1]['threshold']
        keys = [r['key'] for r in results]
        if len(set(keys)) == len(keys):
            metrics, self.last_details = _details(scores, labels, threshold, names)
            return metrics
        _, video_scores, video_labels = average_per_video(keys, scores, labels)
        metrics, self.last_details = _details(video_scores, video_labels, threshold, names)
        metrics['clip/mAP'] = _details(scores, labels, threshold, names)[0]['mAP']
        return metrics
