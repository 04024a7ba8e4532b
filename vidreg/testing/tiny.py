"""Tiny constructor arguments and inputs for fast CPU tests of registered models."""
import torch
from torch import Tensor

__all__ = ['TINY_KWARGS', 'tiny_clip']

# Registered name -> small constructor kwargs. Temporal modules and heads get
# ``in_channels`` from their producer, so it is not listed.
TINY_KWARGS = {
    # backbones: (B, C, T, H, W) -> (B, D, T', H', W')
    'C3D': dict(base_channels=4, fc_channels=8, input_size=(4, 32, 32)),  # = tiny_clip()
    'ResNet2D': dict(depth=18),
    'ResNet3D': dict(depth=18, base_channels=4),
    'TinyConv2D': dict(channels=(4, 8)),
    'VideoResNet': dict(arch='r2plus1d', depth=18, base_channels=4),
    # temporal modules: (B, D, T', H', W') -> (B, E)
    'TCN': dict(proj_channels=4, num_levels=2, hidden_channels=8, kernel_size=3),
    'TemporalRNN': dict(hidden_channels=8),
    'TemporalAvgPool': dict(),
}


def tiny_clip(batch: int = 2, frames: int = 4, size: int = 32, channels: int = 3, *,
              seed: int = 0) -> Tensor:
    """A reproducible random float clip batch.

    Args:
        batch: B.
        frames: T.
        size: H = W.
        channels: C.
        seed: Seed of the generator, so repeated calls return the same tensor.

    Returns:
        Standard-normal clips, (B, C, T, H, W).
    """
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, channels, frames, size, size, generator=generator)
