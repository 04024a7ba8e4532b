import random

import numpy as np
import torch
from torch.utils.data import DataLoader

from vidreg.datasets import CSVDataset, SeededSampler
from vidreg.utils import register_all_modules

register_all_modules()


class RandomNumber:
    """A pipeline step whose output is one draw from numpy's global RNG."""

    def __call__(self, results):
        return dict(value=float(np.random.rand()), idx=results['sample_idx'])


class TorchRandomNumbers:
    """A pipeline step drawing from torch's, numpy's and Python's global RNGs."""

    def __call__(self, results):
        return dict(value=(torch.rand(2).tolist(), float(np.random.rand()), random.random()),
                    idx=results['sample_idx'])


def dataset(tmp_path, step=None):
    for i in range(6):
        (tmp_path / f'{i}.avi').write_bytes(b'x')
    (tmp_path / 'a.csv').write_text('path,label\n' + ''.join(f'{i}.avi,0\n' for i in range(6)))
    return CSVDataset(ann_file='a.csv', data_root=str(tmp_path),
                      pipeline=[step or RandomNumber()])


def test_torch_draws_follow_the_sample_seed_whatever_the_worker(tmp_path):
    ds = dataset(tmp_path, TorchRandomNumbers())
    sampler = SeededSampler(ds, shuffle=True, seed=5)
    sampler.set_epoch(1)
    keys = list(sampler)
    first = [ds[k]['value'] for k in keys]
    torch.manual_seed(999)  # another process state, and draws made before
    torch.rand(7)
    assert [ds[k]['value'] for k in reversed(keys)] == first[::-1]
    # Two worker processes, each with its own torch seed, give the same draws per sample.
    loader = DataLoader(ds, sampler=keys, batch_size=None, num_workers=2,
                        collate_fn=lambda sample: sample['value'])
    assert list(loader) == first
    assert len({value[0][0] for value in first}) == len(first)
    state = torch.random.get_rng_state()
    ds[keys[0]]
    assert torch.equal(torch.random.get_rng_state(), state)  # left untouched


def test_same_seed_same_augmentation_whatever_the_rng_state(tmp_path):
    ds = dataset(tmp_path)
    sampler = SeededSampler(ds, shuffle=True, seed=3)
    sampler.set_epoch(2)
    keys = list(sampler)
    first = [ds[k]['value'] for k in keys]
    np.random.seed(12345)  # another worker, or a resumed process
    assert [ds[k]['value'] for k in keys] == first
    assert len(set(first)) == len(first)
    sampler.set_epoch(3)
    assert [ds[k]['value'] for k in sampler] != first


def test_global_rng_is_left_untouched(tmp_path):
    ds = dataset(tmp_path)
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    ds[(1, 99)]
    assert np.random.rand() == expected


def test_ranks_get_disjoint_positions_with_distinct_seeds(tmp_path):
    ds = dataset(tmp_path)
    ranks = []
    for rank in range(2):
        sampler = SeededSampler(ds, shuffle=True, seed=0)
        sampler.rank, sampler.world_size = rank, 2
        sampler.num_samples = 3
        sampler.total_size = 6
        ranks.append(list(sampler))
    indices = [i for keys in ranks for i, _ in keys]
    seeds = [s for keys in ranks for _, s in keys]
    assert sorted(indices) == list(range(6)) and len(set(seeds)) == 6


class RandomTorchNumber:
    """A pipeline step whose output is one draw from torch's global (CPU) RNG."""

    def __call__(self, results):
        return dict(value=float(torch.rand(1)), idx=results['sample_idx'])


def test_torch_draws_are_seeded_per_sample_and_torch_rng_left_untouched(tmp_path):
    ds = dataset(tmp_path)
    ds.pipeline.steps[:] = [RandomTorchNumber()]
    first = ds[(1, 99)]['value']
    torch.manual_seed(12345)  # a persistent worker that made other samples before
    expected = torch.rand(1)
    torch.manual_seed(12345)
    assert ds[(1, 99)]['value'] == first
    assert torch.equal(torch.rand(1), expected)
    assert ds[(1, 98)]['value'] != first
