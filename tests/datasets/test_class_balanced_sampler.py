"""ClassBalancedSampler: class balance, weights, epochs and disjoint shares across ranks."""
import numpy as np
import pytest

from vidreg.datasets import ClassBalancedSampler
from vidreg.registry import DATA_SAMPLERS


class Rows:
    """The part of a vidreg dataset the sampler reads: len() and get_data_info(i)['label']."""

    def __init__(self, labels):
        self.labels = list(labels)

    def __len__(self):
        return len(self.labels)

    def get_data_info(self, i):
        return dict(label=self.labels[i], filename=f'{i}.avi')


IMBALANCED = Rows([0] * 900 + [1] * 90 + [2] * 10)  # like DAiSEE's rare engagement levels


def chi_square(observed, expected):
    return float(((observed - expected) ** 2 / expected).sum())


def test_classes_are_drawn_equally_often():
    sampler = ClassBalancedSampler(dataset=IMBALANCED, num_samples=6000, seed=0)
    drawn = np.array([index for index, _ in sampler])
    assert len(drawn) == len(sampler) == 6000 and drawn.min() >= 0 and drawn.max() < 1000
    counts = np.bincount(np.array(IMBALANCED.labels)[drawn], minlength=3)
    # chi-square with 2 degrees of freedom: 13.8 is the 0.1 % critical value.
    assert chi_square(counts, np.full(3, 2000.0)) < 13.8, counts
    assert len(set(drawn[np.array(IMBALANCED.labels)[drawn] == 2])) == 10  # all rare ones used


def test_class_weights_set_class_proportions():
    sampler = ClassBalancedSampler(dataset=IMBALANCED, num_samples=6000, seed=0,
                                   class_weights=[1, 1, 4])
    drawn = [index for index, _ in sampler]
    counts = np.bincount(np.array(IMBALANCED.labels)[drawn], minlength=3)
    assert chi_square(counts, np.array([1000.0, 1000.0, 4000.0])) < 13.8, counts
    never = ClassBalancedSampler(dataset=IMBALANCED, seed=0, class_weights=[1, 0, 1])
    assert 1 not in {IMBALANCED.labels[i] for i, _ in never}
    with pytest.raises(ValueError, match='3 values >= 0'):
        ClassBalancedSampler(dataset=IMBALANCED, class_weights=[1, 1])


def test_epochs_are_seeded_and_reproducible():
    sampler = ClassBalancedSampler(dataset=IMBALANCED, seed=3)
    first = [index for index, _ in sampler]
    assert [index for index, _ in sampler] == first and len(first) == len(IMBALANCED)
    sampler.set_epoch(1)
    assert [index for index, _ in sampler] != first
    sampler.set_epoch(0)
    assert [index for index, _ in sampler] == first


def test_ranks_get_disjoint_shares_of_the_same_draw():
    ranks = [ClassBalancedSampler(dataset=IMBALANCED, num_samples=1001, seed=7, num_replicas=2,
                                  rank=r) for r in (0, 1)]
    for r in ranks:
        r.set_epoch(0)
    shares = [list(r) for r in ranks]
    assert len(shares[0]) == len(shares[1]) == len(ranks[0]) == 501  # padded to 1002
    full = ClassBalancedSampler(dataset=IMBALANCED, num_samples=1002, seed=7, num_replicas=1,
                                rank=0)
    interleaved = [i for pair in zip(*shares) for i in pair]
    assert interleaved == list(full)  # disjoint positions that together make the whole draw


def test_built_from_registry_and_rejects_regression_labels():
    sampler = DATA_SAMPLERS.build(dict(type='ClassBalancedSampler'),
                                  default_args=dict(dataset=Rows([0, 1, 1]), seed=0))
    assert isinstance(sampler, ClassBalancedSampler)
    with pytest.raises(ValueError, match='integer class label'):
        ClassBalancedSampler(dataset=Rows([0.5, 1.0]), seed=0)
