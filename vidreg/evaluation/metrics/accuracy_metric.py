"""Top-k and mean class accuracy at clip and video level, with a confusion matrix."""
import logging
from typing import Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from vidreg.registry import METRICS

from .video_aggregation import average_per_video, video_key

__all__ = ['AccuracyMetric']


def _classification_details(scores: np.ndarray, labels: np.ndarray, topk: Sequence[int],
                            class_names: list[str]) -> tuple[dict[str, float], dict]:
    """Accuracy scalars and details for scores (N, K) and integer labels (N,)."""
    num_classes = scores.shape[1]
    # Ties rank the lower class index first, as argmax and torch.topk do.
    ranking = np.argsort(-scores, axis=1, kind='stable')  # (N, K)
    hits = ranking == labels[:, None]  # (N, K): where the true class sits in the ranking
    metrics = {f'top{k}': float(hits[:, :k].any(axis=1).mean()) for k in topk if k <= num_classes}

    predictions = ranking[:, 0]
    confusion = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(confusion, (labels, predictions), 1)
    support = confusion.sum(axis=1)
    with np.errstate(invalid='ignore', divide='ignore'):
        per_class = np.diag(confusion) / support  # NaN where a class has no ground truth
    metrics['mean_class_accuracy'] = float(np.nanmean(per_class))
    if not np.isfinite(scores).all():  # a diverged model: its ranking (by index) means nothing
        metrics = {name: float('nan') for name in metrics}
    details = dict(
        classes=class_names, confusion_matrix=confusion,
        per_class_accuracy={name: float(acc) for name, acc in zip(class_names, per_class)},
        support={name: int(n) for name, n in zip(class_names, support)},
        num_samples=len(labels))
    return metrics, details


@METRICS.register_module()
class AccuracyMetric(BaseMetric):
    """Classification accuracy: top-k, mean class accuracy and a confusion matrix.

    Reads ``gt_label`` (0-d int), ``pred_score`` ((K,) probabilities) and metainfo ``path`` of each
    sample. Scalars (before mmengine adds ``<prefix>/``): ``top<k>`` for every ``k <= K`` and
    ``mean_class_accuracy`` (mean over the classes present in the ground truth). Non-finite
    scores (a diverged model) make every scalar NaN, never a number.

    One convention whatever the dataset: the plain keys are per **video**, the ``clip/`` keys
    per **clip** (so ``save_best='auto'``, which takes the first key, always selects on videos):

    - when several results share a ``path`` (a dataset with ``clips=...``: one row per clip),
      the plain keys score their averaged scores, one per video, and ``clip/`` the rows;
    - when the samples carry ``pred_views`` ((V, K): the scores of each view, clip x crop,
      before the recognizer averaged them), ``clip/`` scores every view alone (the clip-level
      accuracy of frame- or clip-level papers);
    - otherwise (one row, one view per video) only the plain keys are reported.

    Ties between scores go to the lower class index, like ``argmax``.

    After ``compute_metrics``, ``last_details`` holds, per video, ``classes`` (names from
    ``dataset_meta['classes']`` when it has K names, else ``'0'``, ``'1'``, ...),
    ``confusion_matrix`` (int64 (K, K), rows = truth, columns = prediction),
    ``per_class_accuracy`` (name -> accuracy, NaN for classes absent from the ground truth),
    ``support`` (name -> count) and ``num_samples``, plus ``clip``: the same dict per clip, or
    ``None`` when there are no ``clip/`` keys.

    Args:
        topk: The k of the top-k accuracies; values above K are skipped.
        num_classes: K. ``None`` takes it from the length of ``pred_score``; when given, a
            mismatch raises ``ValueError``.
        collect_device: ``'cpu'`` or ``'gpu'``, where results are gathered across ranks.
        prefix: Key prefix; ``None`` means ``'acc'`` (logged as ``acc/top1``).
    """

    default_prefix: Optional[str] = 'acc'

    def __init__(self, *, topk: Sequence[int] = (1, 5), num_classes: Optional[int] = None,
                 collect_device: str = 'cpu', prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        topk = (topk,) if isinstance(topk, int) else tuple(topk)
        if not topk or min(topk) < 1:
            raise ValueError(f'topk must hold integers >= 1, got {topk}')
        self.topk = topk
        self.num_classes = num_classes
        self.last_details: dict = {}

    def process(self, data_batch: object, data_samples: Sequence[dict]) -> None:
        """Keep the label, scores and video key of every sample, on the CPU."""
        for data_sample in data_samples:
            if 'pred_score' not in data_sample:
                raise KeyError('AccuracyMetric needs pred_score in each data sample '
                               f'(got keys {sorted(data_sample)})')
            score = torch.as_tensor(data_sample['pred_score']).detach().cpu().float()
            views = data_sample.get('pred_views')
            self.results.append(dict(
                key=video_key(data_sample, len(self.results)),
                label=int(torch.as_tensor(data_sample['gt_label']).reshape(-1)[0]),
                score=score.reshape(-1).numpy(),
                views=None if views is None else torch.as_tensor(
                    views).detach().cpu().float().reshape(-1, len(score)).numpy()))

    def compute_metrics(self, results: list) -> dict[str, float]:
        """Compute video-level accuracies (and clip-level ones, ``clip/``, where clips differ)."""
        if not results:
            self.last_details = {}
            return {}
        scores = np.stack([r['score'] for r in results]).astype(np.float64)  # (N, K)
        labels = np.array([r['label'] for r in results], dtype=np.int64)  # (N,)
        num_classes = scores.shape[1]
        if self.num_classes is not None and self.num_classes != num_classes:
            raise ValueError(f'AccuracyMetric(num_classes={self.num_classes}) got pred_score '
                             f'with {num_classes} classes')
        if labels.min() < 0 or labels.max() >= num_classes:
            raise ValueError(f'gt_label out of range [0, {num_classes}): '
                             f'{labels.min()}..{labels.max()}')
        class_names = self._class_names(num_classes)

        keys = [r['key'] for r in results]
        aggregated = len(set(keys)) < len(keys)
        video_scores, video_labels = scores, labels
        if aggregated:
            _, video_scores, video_labels = average_per_video(keys, scores, labels)
        metrics, details = _classification_details(video_scores, video_labels, self.topk,
                                                    class_names)
        details['clip'] = None
        has_views = any(r.get('views') is not None for r in results)
        if has_views or aggregated:
            clip_scores, clip_labels = scores, labels
            if has_views:
                views = [r['views'] if r.get('views') is not None else r['score'][None]
                         for r in results]
                clip_scores = np.concatenate(views).astype(np.float64)
                clip_labels = np.repeat(labels, [len(v) for v in views])
            clip_metrics, details['clip'] = _classification_details(
                clip_scores, clip_labels, self.topk, class_names)
            metrics.update({f'clip/{name}': value for name, value in clip_metrics.items()})
        self.last_details = details
        return metrics

    def _class_names(self, num_classes: int) -> list[str]:
        names = (self.dataset_meta or {}).get('classes')
        if names is not None and len(names) == num_classes:
            return [str(name) for name in names]
        if names is not None:
            print_log(f'AccuracyMetric: dataset_meta has {len(names)} classes but pred_score has '
                      f'{num_classes}; naming classes by index', logger='current',
                      level=logging.WARNING)
        return [str(i) for i in range(num_classes)]
