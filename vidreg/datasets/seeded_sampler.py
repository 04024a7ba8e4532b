"""A sampler that also gives every sample the seed of its random augmentation."""
from typing import Iterator, Tuple

import numpy as np
from mmengine.dataset import DefaultSampler

from vidreg.registry import DATA_SAMPLERS


def sample_seed(seed: int, epoch: int, position: int) -> int:
    """The augmentation seed of the sample at ``position`` of ``epoch``'s global order."""
    return int(np.random.SeedSequence([seed, epoch, position]).generate_state(1)[0])


@DATA_SAMPLERS.register_module()
class SeededSampler(DefaultSampler):
    """mmengine's ``DefaultSampler`` that yields ``(index, sample_seed)``.

    Random augmentation (frame offsets, crops, flips) is seeded per sample from
    ``(seed, epoch, position)``, not drawn from a worker's running RNG stream. So a
    run gives the same clips whatever ``num_workers`` is, and a resumed run gives
    the same clips as an uninterrupted one. vidreg datasets accept the pairs
    (``BaseVideoDataset.__getitem__``).

    Args: as :class:`mmengine.dataset.DefaultSampler`.
    """

    def __iter__(self) -> Iterator[Tuple[int, int]]:
        for i, index in enumerate(super().__iter__()):
            position = self.rank + i * self.world_size  # place in the epoch's global order
            yield index, sample_seed(self.seed, self.epoch, position)
