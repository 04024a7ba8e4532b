"""Random weights rebuilt from a seed and a key list: equality fixtures without weight files.

A fixture of a large foreign model (e.g. MMAction2's TSN-R50 at full width, ~90 MB) stores
only its key names and shapes (the source's own layout), a seed, a fixed input and the
source's logits. The generating script (``tests/fixtures/zoo/make_fixtures.py``) and the test
both call :func:`seeded_state_dict`, so the test rebuilds the very tensors the source model
ran with; :func:`state_dict_checksums` is stored too, so a change in torch's generator fails
the test by name instead of as a logit difference.
"""
from typing import Dict, Sequence

import torch
from torch import Tensor

__all__ = ['seeded_state_dict', 'state_dict_checksums']


def _tensor(key: str, shape: Sequence[int], generator: torch.Generator) -> Tensor:
    """One tensor scaled so that a deep network keeps activations of order 1."""
    if key.endswith('num_batches_tracked'):
        return torch.zeros(shape, dtype=torch.long)
    if key.endswith('running_var'):  # positive, near 1
        return torch.rand(shape, generator=generator) + 0.5
    if key.endswith('running_mean') or key.endswith('bias'):
        return torch.randn(shape, generator=generator) * 0.1
    if len(shape) == 1:  # norm scales
        return torch.rand(shape, generator=generator) * 0.5 + 0.75
    fan_in = 1
    for size in shape[1:]:
        fan_in *= size
    return torch.randn(shape, generator=generator) * (1.0 / fan_in) ** 0.5


def seeded_state_dict(shapes: Dict[str, Sequence[int]], seed: int) -> Dict[str, Tensor]:
    """Random float32 tensors (int64 for ``num_batches_tracked``), one generator per key.

    Args:
        shapes: Key -> shape, in the source's layout.
        seed: Base seed; key i (in the given order) uses ``seed + i``.

    Returns:
        Key -> tensor, BatchNorm running variances in [0.5, 1.5), norm scales in
        [0.75, 1.25), biases and running means N(0, 0.1^2), weights N(0, 1 / fan_in).
    """
    state = {}
    for index, (key, shape) in enumerate(shapes.items()):
        generator = torch.Generator().manual_seed(seed + index)
        state[key] = _tensor(key, tuple(shape), generator)
    return state


def state_dict_checksums(state_dict: Dict[str, Tensor]) -> Dict[str, float]:
    """Key -> sum of the absolute values of the first 256 numbers, to detect a changed generator."""
    return {key: float(value.flatten()[:256].abs().sum(dtype=torch.float64))
            for key, value in state_dict.items()}
