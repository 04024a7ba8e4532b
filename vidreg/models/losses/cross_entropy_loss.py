"""Cross-entropy on logits (the softmax lives in the loss, never in the head)."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vidreg.registry import MODELS


@MODELS.register_module()
class CrossEntropyLoss(nn.Module):
    """Softmax cross-entropy, on class indices or soft targets (label smoothing applies to both).

    Args:
        class_weight: Per-class weights (e.g. inverse frequency for DAiSEE's imbalance).
        label_smoothing: Amount of label smoothing in [0, 1).
        loss_weight: Multiplier of the loss.
    """

    def __init__(self,
                 *,
                 class_weight: Optional[Sequence[float]] = None,
                 label_smoothing: float = 0.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        weight = None if class_weight is None else torch.tensor(class_weight, dtype=torch.float32)
        self.register_buffer('class_weight', weight, persistent=False)
        self.label_smoothing = label_smoothing
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Args: logits (B, K); target (B,) int64 class indices, or (B, K) float class
        probabilities (soft targets: MixUp, CutMix). Returns a scalar."""
        return self.loss_weight * F.cross_entropy(logits, target, weight=self.class_weight,
                                                  label_smoothing=self.label_smoothing)
