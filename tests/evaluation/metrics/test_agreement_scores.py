"""CCC, R² and QWK against hand-worked values and their defining properties."""
import numpy as np
import pytest

from vidreg.evaluation.metrics.agreement_scores import (
    concordance,
    quadratic_weighted_kappa,
    r_squared,
)


def test_quadratic_weighted_kappa_by_hand():
    true = np.array([0, 1, 2, 3])
    assert quadratic_weighted_kappa(true, true, 4) == 1.0
    # one prediction one level off: O has one off-diagonal count of weight 1/9; both
    # marginals are uniform, so E = 1/4 everywhere and sum(W * E) = (1/4) * 20/9.
    pred = np.array([0, 1, 2, 2])
    expected_o = np.outer(np.bincount(true, minlength=4), np.bincount(pred, minlength=4)) / 4
    weights = (np.arange(4)[:, None] - np.arange(4)[None, :]) ** 2 / 9
    assert quadratic_weighted_kappa(true, pred, 4) == pytest.approx(
        1 - (1 / 9) / (weights * expected_o).sum())
    # two levels off costs more than one level off
    assert quadratic_weighted_kappa(true, np.array([0, 1, 2, 1]), 4) < \
        quadratic_weighted_kappa(true, pred, 4)
    # a reversed ranking disagrees worse than chance
    assert quadratic_weighted_kappa(true, true[::-1], 4) == pytest.approx(-1.0)
    assert np.isnan(quadratic_weighted_kappa(np.array([2, 2]), np.array([2, 2]), 4))


def test_the_kappa_of_levels_is_their_concordance():
    rng = np.random.default_rng(0)
    true, pred = rng.integers(0, 4, 30), rng.integers(0, 4, 30)
    assert quadratic_weighted_kappa(true, pred, 4) == pytest.approx(
        concordance(pred.astype(float), true.astype(float)))


def test_concordance_and_r_squared():
    target = np.array([1.0, 2.0, 3.0, 4.0])
    assert concordance(target, target) == 1.0 and r_squared(target, target) == 1.0
    shifted = target + 1  # Pearson 1, but biased
    assert concordance(shifted, target) == pytest.approx(2 * 1.25 / (2.5 + 1))
    assert r_squared(np.full(4, target.mean()), target) == 0.0
    assert r_squared(shifted, target) == pytest.approx(1 - 4 / 5)
    assert np.isnan(r_squared(target, np.ones(4))) and np.isnan(concordance(target[:1],
                                                                          target[:1]))
