"""A sampler that draws classes equally often (or in given proportions), also across ranks."""
import math
from typing import Iterator, Optional, Sequence, Tuple, Union

import torch
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from vidreg.registry import DATA_SAMPLERS

from .seeded_sampler import sample_seed


@DATA_SAMPLERS.register_module()
class ClassBalancedSampler(Sampler[int]):
    """Draw sample indices with replacement, with probability inversely proportional to
    the size of their class, so that every class is drawn about equally often.

    With ``class_weights``, class k is drawn with probability proportional to
    ``class_weights[k]`` (each of its samples with ``class_weights[k] / count(k)``);
    ``class_weights=[1] * K`` is the default behaviour, a weight of 0 never draws the
    class.

    Each epoch draws ``num_samples`` indices (rounded up to a multiple of the number of
    ranks) from a generator seeded with ``seed + epoch``, identically on every rank;
    rank r takes positions ``r, r + R, r + 2R, ...`` of that draw, so the ranks' shares
    are disjoint and together make the whole draw. mmengine's ``DistSamplerSeedHook``
    calls :meth:`set_epoch` before every epoch.

    Labels are read once, at construction, from ``dataset.get_data_info(i)['label']``;
    they must be integer classes.

    Args:
        dataset: The dataset (a vidreg dataset, or anything with ``get_data_info``).
        num_samples: Indices drawn per epoch over all ranks; default ``len(dataset)``.
        class_weights: Relative drawing probability of each class, K values >= 0
            (K = the largest label + 1); default equal.
        seed: Base seed, the same on every rank; ``None`` agrees on a random one.
        num_replicas: Number of ranks; default the distributed world size.
        rank: This rank; default the distributed rank.
    """

    def __init__(self,
                 *,
                 dataset,
                 num_samples: Optional[int] = None,
                 class_weights: Optional[Sequence[float]] = None,
                 seed: Optional[int] = None,
                 num_replicas: Optional[int] = None,
                 rank: Optional[int] = None) -> None:
        dist_rank, dist_world = get_dist_info()
        self.rank = dist_rank if rank is None else rank
        self.num_replicas = dist_world if num_replicas is None else num_replicas
        if not 0 <= self.rank < self.num_replicas:
            raise ValueError(f'rank must be in [0, {self.num_replicas}), got {self.rank}')
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        self.labels = self._read_labels(dataset)  # (N,) int64
        counts = torch.bincount(self.labels).double()  # (K,)
        if class_weights is None:
            weights = (counts > 0).double()
        else:
            weights = torch.as_tensor(class_weights, dtype=torch.float64)
            if weights.ndim != 1 or (weights < 0).any() or len(weights) < len(counts):
                raise ValueError(f'class_weights must be {len(counts)} values >= 0 (one per class '
                                 f'0..{len(counts) - 1}), got {list(class_weights)}')
            counts = torch.cat([counts, counts.new_zeros(len(weights) - len(counts))])
        if not (weights * (counts > 0)).sum() > 0:
            raise ValueError('ClassBalancedSampler: every class with samples has weight 0')
        # Per-class probability / class size, for each sample: (N,)
        self.weights = (weights / counts.clamp(min=1))[self.labels]
        self.class_counts = counts
        total = len(self.labels) if num_samples is None else int(num_samples)
        if total <= 0:
            raise ValueError(f'num_samples must be > 0, got {num_samples}')
        self.num_samples = math.ceil(total / self.num_replicas)  # per rank
        self.total_size = self.num_samples * self.num_replicas

    @staticmethod
    def _read_labels(dataset) -> torch.Tensor:
        labels = []
        for i in range(len(dataset)):
            label: Union[int, float, list] = dataset.get_data_info(i)['label']
            if isinstance(label, (list, tuple)) or float(label) != int(label) or int(label) < 0:
                raise ValueError(f'ClassBalancedSampler needs one integer class label >= 0 per '
                                 f'sample; sample {i} has {label!r} (use DefaultSampler for '
                                 f'regression).')
            labels.append(int(label))
        if not labels:
            raise ValueError('ClassBalancedSampler got an empty dataset')
        return torch.tensor(labels, dtype=torch.int64)

    def __iter__(self) -> Iterator[Tuple[int, int]]:
        """Yield ``(index, sample_seed)`` pairs, like :class:`SeededSampler`."""
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        draw = torch.multinomial(self.weights, self.total_size, replacement=True,
                                 generator=generator)  # (total_size,) the same on every rank
        for position in range(self.rank, self.total_size, self.num_replicas):
            yield int(draw[position]), sample_seed(self.seed, self.epoch, position)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use the draw of ``epoch`` (called by ``DistSamplerSeedHook``)."""
        self.epoch = epoch
