"""Focal loss on logits: cross-entropy that down-weights well-classified samples."""
from typing import Optional, Sequence

import torch
from torch import Tensor, nn

from vidreg.registry import MODELS

__all__ = ['FocalLoss']


@MODELS.register_module()
class FocalLoss(nn.Module):
    """Softmax focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017).

    Per sample ``-w_y (1 - p_y) ** gamma * log p_y`` with ``p = softmax(logits)``,
    averaged with the class weights as weights (the reduction of
    ``CrossEntropyLoss``), so ``gamma=0`` gives exactly cross-entropy.

    Args:
        gamma: Focusing parameter, >= 0; larger values down-weight easy samples more.
        class_weight: Per-class weights w (K,), e.g. inverse class frequency.
        loss_weight: Multiplier of the loss.
    """

    def __init__(self, *, gamma: float = 2.0, class_weight: Optional[Sequence[float]] = None,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if gamma < 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        weight = None if class_weight is None else torch.tensor(class_weight, dtype=torch.float32)
        self.register_buffer('class_weight', weight, persistent=False)
        self.gamma = gamma
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            logits: Class scores before softmax, (B, K).
            target: Class indices, (B,) int64.

        Returns:
            Scalar loss.
        """
        log_p = logits.log_softmax(dim=1).gather(1, target[:, None]).squeeze(1)  # (B,)
        weight = (torch.ones_like(log_p) if self.class_weight is None
                  else self.class_weight.to(log_p)[target])  # (B,)
        focal = (1 - log_p.exp()).clamp(min=0) ** self.gamma  # (B,)
        return self.loss_weight * -(weight * focal * log_p).sum() / weight.sum()
