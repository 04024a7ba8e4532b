"""Agreement scores of predictions with targets, on NumPy arrays: Lin's concordance
correlation (CCC), the coefficient of determination (R²) and the quadratic weighted kappa
(QWK) of ordered levels. Each returns NaN where it is undefined; the metrics say why."""
import numpy as np

__all__ = ['concordance', 'quadratic_weighted_kappa', 'r_squared']


def concordance(pred: np.ndarray, target: np.ndarray) -> float:
    """Lin's concordance correlation coefficient of two (N,) arrays.

    ``2 cov / (var pred + var target + (mean pred - mean target) ** 2)``, population moments
    (as :class:`vidreg.models.losses.CCCLoss`). 1 only when the predictions equal the
    targets; it falls with any bias or scale error that Pearson's r ignores. NaN when
    undefined: fewer than two samples, a non-finite value, or both arrays one same constant.
    """
    if len(pred) < 2 or not (np.isfinite(pred).all() and np.isfinite(target).all()):
        return float('nan')
    pred_dev, target_dev = pred - pred.mean(), target - target.mean()
    denominator = (pred_dev ** 2).mean() + (target_dev ** 2).mean() \
        + (pred.mean() - target.mean()) ** 2
    if denominator == 0:
        return float('nan')
    return float(np.clip(2 * (pred_dev * target_dev).mean() / denominator, -1.0, 1.0))


def r_squared(pred: np.ndarray, target: np.ndarray) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot`` of two (N,) arrays.

    1 for a perfect fit, 0 for predicting the targets' mean, negative for worse. NaN when
    undefined: fewer than two samples, a non-finite value, or constant targets.
    """
    if len(pred) < 2 or not (np.isfinite(pred).all() and np.isfinite(target).all()):
        return float('nan')
    total = ((target - target.mean()) ** 2).sum()
    if total == 0:
        return float('nan')
    return float(1 - ((target - pred) ** 2).sum() / total)


def quadratic_weighted_kappa(true: np.ndarray, pred: np.ndarray, num_levels: int) -> float:
    """Cohen's kappa with quadratic weights of two (N,) integer arrays of levels 0 .. L - 1.

    ``1 - sum(W * O) / sum(W * E)`` with ``W[i, j] = (i - j) ** 2 / (L - 1) ** 2``, O the
    confusion counts and E the counts expected from the two marginals if they were
    independent. 1 is perfect agreement, 0 chance, negative worse than chance; an error of
    two levels costs four times one of one level. NaN when undefined (no samples, or both
    sides always the same single level).
    """
    if not len(true):
        return float('nan')
    observed = np.zeros((num_levels, num_levels), dtype=np.float64)
    np.add.at(observed, (true, pred), 1)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / len(true)
    levels = np.arange(num_levels)
    weights = (levels[:, None] - levels[None, :]) ** 2 / max(num_levels - 1, 1) ** 2
    chance = (weights * expected).sum()
    if chance == 0:
        return float('nan')
    return float(1 - (weights * observed).sum() / chance)
