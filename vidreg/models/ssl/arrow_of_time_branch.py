"""Arrow of time: a binary head on the shared trunk tells forward from time-reversed clips."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vidreg.registry import MODELS

from .base_ssl_branch import BaseSSLBranch, Trunk

__all__ = ['ArrowOfTimeBranch', 'reverse_some']


def reverse_some(feats: Tensor, fraction: float) -> Tuple[Tensor, Tensor]:
    """Reverse a random subset of the rows in time; labels come from the same mask.

    ``round(fraction * N)`` rows are reversed on average: ``floor(fraction * N)`` always,
    one more with probability equal to the remainder (so a batch of 1 is reversed with
    probability ``fraction``). Rows are drawn with torch's global generator.

    Args:
        feats: Clips or features with time in dim 2, (N, D, T, H, W).
        fraction: Share of rows to reverse, in [0, 1].

    Returns:
        The features with the chosen rows flipped along T (N, D, T, H, W), and the labels
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
    mask = labels.bool().reshape(n, *([1] * (feats.dim() - 1)))
    return torch.where(mask, feats.flip(2), feats), labels


@MODELS.register_module()
class ArrowOfTimeBranch(BaseSSLBranch):
    """Cross-entropy of a forward/backward head on partly time-reversed clips (seed 003).

    A share ``reverse_fraction`` of the batch is reversed along T at ``stage`` (the seed
    reverses ``layer3`` = res4 features; None reverses the input clips), the whole batch
    goes through the shared upper trunk (later backbone stages and the temporal module,
    the classifier's own weights) and a linear head ``fc_bin`` (E -> 2) predicts the
    direction. Each row's label is made with its reversal (:func:`reverse_some`), so the
    two cannot drift apart (the seed's labels did, SPEC §4.6). Stages before ``stage``
    must keep frames independent for the task to be about motion order there (they are
    in the seed; any stage works otherwise).

    Args:
        in_channels: E, the embedding width of the recognizer's temporal module.
        stage: See :class:`BaseSSLBranch`.
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

    def logits(self, feats: Tensor, trunk: Trunk) -> Tuple[Tensor, Tensor]:
        """Direction logits of partly reversed features and their labels.

        Args:
            feats: Output of ``stage`` (N, D_s, T_s, H_s, W_s) (or clips).
            trunk: The shared upper trunk.

        Returns:
            Logits (N, 2) (class 1 = reversed) and labels (N,).
        """
        mixed, labels = reverse_some(feats, self.reverse_fraction)
        return self.fc_bin(trunk(mixed)), labels

    def forward(self, feats: Tensor, trunk: Trunk, clips: Tensor) -> Tensor:
        """Unweighted direction cross-entropy (a scalar).

        Args:
            feats: Output of ``stage`` (N, D_s, T_s, H_s, W_s), or clips (N, C, T, H, W).
            trunk: The shared upper trunk, ``feats -> (N, E)``.
            clips: Unused (the input clips, (N, C, T, H, W)).
        """
        logits, labels = self.logits(feats, trunk)
        return F.cross_entropy(logits, labels)
