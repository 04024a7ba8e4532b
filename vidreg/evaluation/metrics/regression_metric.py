"""Regression errors and correlations at clip and video level."""
from typing import Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from vidreg.registry import METRICS

from .agreement_scores import concordance, r_squared
from .video_aggregation import average_per_video, sample_values, video_key

__all__ = ['RegressionMetric', 'average_ranks', 'per_target_metrics']

_NAMES = ('mse', 'rmse', 'mae', 'pearson', 'spearman', 'ccc', 'r2')


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of ``x`` (N,), tied values sharing their average rank (like SciPy's)."""
    order = np.argsort(x, kind='stable')
    ordered = x[order]
    starts_group = np.concatenate(([True], ordered[1:] != ordered[:-1]))  # (N,)
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    ends = np.append(starts[1:], len(x))  # exclusive
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = ((starts + ends + 1) / 2)[group]  # mean of 1-based ranks start+1 .. end
    return ranks


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two (N,) arrays; NaN when undefined (N < 2 or a constant)."""
    if len(x) < 2 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        return float('nan')
    if np.ptp(x) == 0 or np.ptp(y) == 0:  # exact test: a mean's rounding leaves dx != 0
        return float('nan')
    dx, dy = x - x.mean(), y - y.mean()
    denominator = np.sqrt((dx * dx).sum() * (dy * dy).sum())
    if denominator == 0:
        return float('nan')
    return float(np.clip((dx * dy).sum() / denominator, -1.0, 1.0))


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman correlation of two (N,) arrays: Pearson's r of their average ranks."""
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return float('nan')
    return _pearson(average_ranks(x), average_ranks(y))


def per_target_metrics(per_output: dict, names: Optional[Sequence[str]]) -> dict[str, float]:
    """One scalar per target and metric, ``<target>/<metric>``, for K > 1 targets (none for one).

    Args:
        per_output: Metric name -> K values, one per target.
        names: The K target names (the dataset's ``metainfo['targets']``); ``None`` or a
            list of another length names them by index, ``0`` .. ``K - 1``.
    """
    num_targets = len(next(iter(per_output.values()), ()))
    if num_targets < 2:
        return {}
    if names is None or len(names) != num_targets:
        names = [str(k) for k in range(num_targets)]
    return {f'{target}/{name}': float(values[k]) for k, target in enumerate(names)
            for name, values in per_output.items()}


def _regression_details(preds: np.ndarray, targets: np.ndarray) -> tuple[dict[str, float], dict]:
    """Scalars averaged over outputs, and per-output values, for preds and targets (N, K)."""
    with np.errstate(over='ignore', invalid='ignore'):  # a diverged model's inf and NaN
        errors = preds - targets
        per_output = dict(mse=(errors ** 2).mean(axis=0), mae=np.abs(errors).mean(axis=0))
    per_output['rmse'] = np.sqrt(per_output['mse'])
    finite = np.isfinite(preds).all(axis=0) & np.isfinite(targets).all(axis=0)  # (K,)
    notes = [f'output {k} has non-finite predictions or targets: its errors are inf or NaN, '
             'its correlations NaN' for k in np.flatnonzero(~finite)]
    for name, correlate in (('pearson', _pearson), ('spearman', _spearman),
                            ('ccc', concordance), ('r2', r_squared)):
        values = np.array([correlate(preds[:, k], targets[:, k]) for k in range(preds.shape[1])])
        for k in np.flatnonzero(np.isnan(values) & finite):
            notes.append(f'{name} of output {k} is undefined (fewer than 2 samples, or constant '
                         'predictions or targets); reported as 0.0')
        per_output[name] = np.where(finite, np.nan_to_num(values, nan=0.0), np.nan)
    metrics = {name: float(per_output[name].mean()) for name in _NAMES}
    details = dict(per_output={name: per_output[name].tolist() for name in _NAMES},
                   num_samples=len(preds), notes=notes)
    return metrics, details


@METRICS.register_module()
class RegressionMetric(BaseMetric):
    """MSE, RMSE, MAE, Pearson r, Spearman rho, CCC and R² of regression outputs.

    Reads ``gt_label`` and ``pred_value`` ((K,) floats) and metainfo ``path`` of each sample.
    Scalars (before mmengine adds ``<prefix>/``): ``mse``, ``rmse``, ``mae``, ``pearson``,
    ``spearman``, ``ccc`` (Lin's concordance correlation) and ``r2`` (coefficient of
    determination), each computed per output and averaged over the K outputs (so ``rmse`` is
    the mean of per-output RMSEs). With K > 1 every target is also reported alone, as
    ``<target>/<metric>`` (``reg/valence/ccc``), named by the dataset's ``metainfo['targets']``
    (the label columns or DAiSEE states) or by index; these reach the console, the logs and
    ``summary.json`` like the averages. Spearman's rho is Pearson's r of average ranks (ties
    share their mean rank). An undefined correlation (constant predictions or targets, fewer
    than two samples; R² with constant targets) is reported as 0.0 and explained in
    ``last_details['notes']``; non-finite predictions (a diverged model) or targets make that
    output's errors inf or NaN and its correlations NaN, never a number. As in
    :class:`AccuracyMetric`, the plain keys are per video: when several results share a ``path``
    (one row per clip), they score the predictions averaged per video, and the same scalars over
    the rows are reported with the key prefix ``clip/``.

    After ``compute_metrics``, ``last_details`` holds (per video) ``per_output`` (name -> list
    of K values), ``num_samples``, ``notes`` and ``clip`` (the same dict per clip, or ``None``).

    Args:
        collect_device: ``'cpu'`` or ``'gpu'``, where results are gathered across ranks.
        prefix: Key prefix; ``None`` means ``'reg'`` (logged as ``reg/mse``).
    """

    default_prefix: Optional[str] = 'reg'

    def __init__(self, collect_device: str = 'cpu', prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.last_details: dict = {}

    def process(self, data_batch: object, data_samples: Sequence[dict]) -> None:
        """Keep the target, prediction and video key of every sample, on the CPU."""
        for data_sample in data_samples:
            pred = sample_values(data_sample, 'pred_value', 'RegressionMetric')
            target = sample_values(data_sample, 'gt_label', 'RegressionMetric')
            if pred.shape != target.shape:
                raise ValueError(f'pred_value has {pred.size} outputs but gt_label has '
                                 f'{target.size}')
            self.results.append(dict(key=video_key(data_sample, len(self.results)),
                                     pred=pred, target=target))

    def compute_metrics(self, results: list) -> dict[str, float]:
        """Compute video-level regression metrics (and per-clip ones, ``clip/``, for clip rows)."""
        if not results:
            self.last_details = {}
            return {}
        preds = np.stack([r['pred'] for r in results])  # (N, K)
        targets = np.stack([r['target'] for r in results])  # (N, K)
        keys = [r['key'] for r in results]
        names = (self.dataset_meta or {}).get('targets')
        if len(set(keys)) == len(keys):
            metrics, details = _regression_details(preds, targets)
            details['clip'] = None
        else:
            _, video_preds, video_targets = average_per_video(keys, preds, targets)
            metrics, details = _regression_details(video_preds, video_targets)
            clip_metrics, details['clip'] = _regression_details(preds, targets)
            metrics.update({f'clip/{name}': value for name, value in clip_metrics.items()})
        metrics.update(per_target_metrics(details['per_output'], names))
        self.last_details = details
        return metrics
