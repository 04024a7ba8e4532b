"""Arrow of time: a binary head on the shared trunk tells forward from time-reversed clips."""
from typing import Callable, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vidreg.registry import MODELS

from .base_ssl_branch import BaseSSLBranch, Trunk

__all__ = ['ArrowOfTimeBranch', 'reverse_some']


def reverse_some(clips: Tensor, feats: Tensor, fraction: float,
                 lower: Callable[[Tensor], Tensor]) -> Tuple[Tensor, Tensor]:
    """Replace a random subset of rows by the features of their time-reversed clips.

    The chosen clips are reversed at the input and run through ``lower`` again, so a row's
    features are those of a clip that plays backwards, whatever ``lower`` does to frame
    order (a 3D convolution mixes neighbouring frames; reversing its output instead is not
    reversing the clip, and a static clip then looks "reversed", a shortcut). Labels come
    from the same mask. ``round(fraction * N)`` rows are reversed on average:
    ``floor(fraction * N)`` always, one more with probability equal to the remainder (so a
    batch of 1 is reversed with probability ``fraction``). Rows are drawn with torch's
    global generator.

    Args:
        clips: Input clips, (N, C, T, H, W).
        feats: ``lower(clips)``, features with time in dim 2, (N, D, T_s, H_s, W_s).
        fraction: Share of rows to reverse, in [0, 1].
        lower: Clips -> features, the network that made ``feats``.

    Returns:
        The features with the chosen rows replaced (N, D, T_s, H_s, W_s), and the labels
        (N,) int64: 1 for a reversed row, 0 for a row left forward.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f'reverse fraction must be in [0, 1], got {fraction}')
    n = feats.shape[0]
    expected = fraction * n
    count = int(expected) + int(torch.rand(()).item() < expected - int(expected))
    chosen = torch.randperm(n, device=feats.device)[:count]
    labels = torch.zeros(n, dtype=torch.long, device=feats.device)
    labels[chosen] = 1
    if count == 0:
        return feats, labels
    reversed_feats = lower(clips.index_select(0, chosen).flip(2))  # (count, D, T_s, H_s, W_s)
    return feats.index_copy(0, chosen, reversed_feats), labels


@MODELS.register_module()
class ArrowOfTimeBranch(BaseSSLBranch):
    """Cross-entropy of a forward/backward head on partly time-reversed clips (seed 003).

    A share ``reverse_fraction`` of the batch is reversed in time at the input and run
    through the backbone up to ``stage`` (:func:`reverse_some`); the whole batch then goes
    through the shared upper trunk (later backbone stages and the temporal module, the
    classifier's own weights) and a linear head ``fc_bin`` (E -> 2) predicts the
    direction. Each row's label is made with its reversal, so the two cannot drift apart
    (the seed's labels did, SPEC §4.6).

    Reversing the clip, not the stage's features, holds on every backbone: the seed
    reverses ``layer3`` features, which equals reversing the clip only when every layer
    before it keeps frames independent; with temporal convolutions there, a static clip's
    flipped features differ from its own and the head learns the flip instead of the arrow
    of time (``benchmarks/arrow_of_time_static_clips.py``). The price is a second pass of
    the reversed rows through the backbone up to ``stage``.

    Args:
        in_channels: E, the embedding width of the recognizer's temporal module.
        stage: See :class:`BaseSSLBranch`: where the features of the forward rows (shared
            with the classifier) are taken and the reversed rows join them.
        reverse_fraction: Share of each batch reversed (seed: 0.5).
        loss_weight: See :class:`BaseSSLBranch` (seed: 2).
    """

    def __init__(self, *, in_channels: int, stage: Optional[str] = 'layer3',
                 reverse_fraction: float = 0.5, loss_weight: float = 2.0) -> None:
        super().__init__(stage=stage, loss_weight=loss_weight)
        if not 0.0 <= reverse_fraction <= 1.0:
            raise ValueError(f'reverse_fraction must be in [0, 1], got {reverse_fraction}')
        self.reverse_fraction = reverse_fraction
        self.fc_bin = nn.Linear(in_channels, 2)

    def logits(self, feats: Tensor, trunk: Trunk, clips: Tensor) -> Tuple[Tensor, Tensor]:
        """Direction logits of a partly reversed batch and their labels.

        Args:
            feats: Output of ``stage`` for ``clips`` (N, D_s, T_s, H_s, W_s) (or the clips).
            trunk: The shared trunk around ``stage``.
            clips: The input clips, (N, C, T, H, W).

        Returns:
            Logits (N, 2) (class 1 = reversed) and labels (N,).
        """
        mixed, labels = reverse_some(clips, feats, self.reverse_fraction, trunk.lower)
        return self.fc_bin(trunk(mixed)), labels

    def forward(self, feats: Tensor, trunk: Trunk, clips: Tensor) -> Tensor:
        """Unweighted direction cross-entropy (a scalar).

        Args:
            feats: Output of ``stage`` (N, D_s, T_s, H_s, W_s), or clips (N, C, T, H, W).
            trunk: The shared trunk around ``stage``.
            clips: The input clips, (N, C, T, H, W).
        """
        logits, labels = self.logits(feats, trunk, clips)
        return F.cross_entropy(logits, labels)
