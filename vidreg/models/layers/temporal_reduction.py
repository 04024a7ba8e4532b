"""Reduce a sequence of step features over time: last, mean, sum or attention."""
from typing import Literal, Optional

import torch
from torch import Tensor, nn

__all__ = ['TemporalReduction']

ReductionMode = Literal['last', 'mean', 'sum', 'attention']


class TemporalReduction(nn.Module):
    """Pool ``(B, E, T)`` step features into one ``(B, E)`` vector per clip.

    Every mode works per sample, so a sample's result does not depend on the
    other samples of its batch.

    Args:
        mode: ``'last'`` takes the last step (what a causal model has seen in
            full), ``'mean'`` and ``'sum'`` average or add over steps (``'sum'``
            scales with T), ``'attention'`` learns one score per step
            (``Linear(E, 1)``), softmax-normalised over time, and returns the
            weighted sum of steps.
        channels: E; required by ``'attention'`` only.
    """

    def __init__(self, mode: ReductionMode = 'last', channels: Optional[int] = None) -> None:
        super().__init__()
        if mode not in ('last', 'mean', 'sum', 'attention'):
            raise ValueError(f"mode must be 'last', 'mean', 'sum' or 'attention', got {mode!r}")
        if mode == 'attention' and channels is None:
            raise ValueError("mode='attention' needs channels (the feature size E)")
        self.mode = mode
        self.score = nn.Conv1d(channels, 1, kernel_size=1) if mode == 'attention' else None

    def forward(self, x: Tensor) -> Tensor:
        """Reduce over time.

        Args:
            x: Step features, (B, E, T).

        Returns:
            Clip features, (B, E).
        """
        if x.dim() != 3:
            raise ValueError(f'TemporalReduction expects (B, E, T), got shape {tuple(x.shape)}')
        if self.mode == 'last':
            return x[:, :, -1]
        if self.mode == 'mean':
            return x.mean(dim=2)
        if self.mode == 'sum':
            return x.sum(dim=2)
        weights = torch.softmax(self.score(x), dim=2)  # (B, 1, T)
        return (x * weights).sum(dim=2)

    def extra_repr(self) -> str:
        """Show the mode in ``print(model)``."""
        return f'mode={self.mode!r}'
