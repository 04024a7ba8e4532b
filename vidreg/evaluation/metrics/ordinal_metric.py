"""Ordered levels (DAiSEE's 0-3) scored the same way whatever the head: QWK, MAE in levels
and accuracy, from a classifier's, an ordinal head's or a regressor's predictions."""
from typing import Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from vidreg.registry import METRICS

from .agreement_scores import quadratic_weighted_kappa
from .regression_metric import per_target_metrics
from .video_aggregation import average_per_video, sample_prediction, video_key

__all__ = ['OrdinalMetric']

_NAMES = ('qwk', 'mae', 'accuracy')


def _level_scores(pred: np.ndarray, true: np.ndarray, num_levels: int) -> dict[str, float]:
    """The three scores of one target: predicted and true levels, (N,) int64 each."""
    return dict(qwk=quadratic_weighted_kappa(true, pred, num_levels),
                mae=float(np.abs(pred - true).mean()), accuracy=float((pred == true).mean()))


@METRICS.register_module()
class OrdinalMetric(BaseMetric):
    """Quadratic weighted kappa, MAE in levels and accuracy of ordered levels.

    The same scalars for the three ways of modelling levels 0 .. L - 1, so that they can be
    compared side by side on one split:

    - a classifier (``ClsHead``) or an ordinal head (``CORNHead``): samples carry
      ``pred_score`` (L,), and the predicted level is its most probable one (``pred_label``);
    - a regressor (``RegHead``): samples carry ``pred_value`` (K,), each rounded to the
      nearest level and clipped to [0, L - 1]; K > 1 targets are scored one by one,
      averaged, and also reported as ``<target>/<metric>``.

    ``gt_label`` is a level (classification) or a number per target (regression), rounded.
    As :class:`AccuracyMetric` and :class:`RegressionMetric`, rows that share a ``path`` (one
    per clip) are one video: their scores or values are averaged before the level is chosen.
    Scalars (before mmengine adds ``<prefix>/``): ``qwk`` (1 perfect, 0 chance; reported as
    0.0 when undefined, e.g. one level everywhere, with a note in ``last_details``), ``mae``
    (mean absolute error in levels) and ``accuracy``. A non-finite prediction (a diverged
    model) makes them NaN. The QWK of integer levels is exactly Lin's concordance correlation
    (CCC) of the predicted and true levels, so it is not reported twice; a regressor's
    ``reg/ccc`` is the CCC of its unrounded values.

    Args:
        num_levels: L, the number of ordered levels (4 for DAiSEE).
        collect_device: ``'cpu'`` or ``'gpu'``, where results are gathered across ranks.
        prefix: Key prefix; ``None`` means ``'ordinal'`` (logged as ``ordinal/qwk``).
    """

    default_prefix: Optional[str] = 'ordinal'

    def __init__(self, *, num_levels: int, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if isinstance(num_levels, bool) or not isinstance(num_levels, int) or num_levels < 2:
            raise ValueError(f'OrdinalMetric needs num_levels >= 2, got {num_levels!r}')
        self.num_levels = num_levels
        self.last_details: dict = {}

    def process(self, data_batch: object, data_samples: Sequence[dict]) -> None:
        """Keep the prediction, the target and the video key of every sample, on the CPU."""
        for data_sample in data_samples:
            task, pred, target = sample_prediction(data_sample, 'OrdinalMetric')
            if task == 'classification' and len(pred) != self.num_levels:
                raise ValueError(f'OrdinalMetric(num_levels={self.num_levels}) got pred_score '
                                 f'with {len(pred)} classes: set num_levels to the head\'s '
                                 'num_classes.')
            self.results.append(dict(key=video_key(data_sample, len(self.results)), task=task,
                                     pred=pred, target=target))

    def _levels(self, task: str, preds: np.ndarray) -> np.ndarray:
        """Predicted levels (N, K') from scores (N, L) (K' = 1) or values (N, K)."""
        if task == 'classification':
            return preds.argmax(axis=1)[:, None]
        return np.clip(np.rint(preds), 0, self.num_levels - 1).astype(np.int64)

    def compute_metrics(self, results: list) -> dict[str, float]:
        """Compute video-level scores (predictions averaged over a video's rows)."""
        if not results:
            self.last_details = {}
            return {}
        preds = np.stack([r['pred'] for r in results])  # (N, L) scores or (N, K) values
        targets = np.stack([r['target'] for r in results])  # (N, 1) or (N, K)
        keys = [r['key'] for r in results]
        if len(set(keys)) < len(keys):
            _, preds, targets = average_per_video(keys, preds, targets)
        true = np.clip(np.rint(targets), 0, self.num_levels - 1).astype(np.int64)
        finite = np.isfinite(preds).all()
        levels = self._levels(results[0]['task'], np.nan_to_num(preds))
        per_output = {name: [] for name in _NAMES}
        notes = []
        for k in range(true.shape[1]):
            scores = _level_scores(levels[:, k], true[:, k], self.num_levels)
            if np.isnan(scores['qwk']):
                notes.append(f'target {k}: QWK undefined (one level everywhere); reported as 0.0')
            for name in _NAMES:
                per_output[name].append(scores[name] if finite else float('nan'))
        per_output = {name: np.nan_to_num(np.array(values), nan=0.0) if finite
                      else np.array(values) for name, values in per_output.items()}
        metrics = {name: float(values.mean()) for name, values in per_output.items()}
        metrics.update(per_target_metrics(per_output, (self.dataset_meta or {}).get('targets')))
        self.last_details = dict(per_output={n: v.tolist() for n, v in per_output.items()},
                                 num_samples=len(true), notes=notes)
        return metrics
