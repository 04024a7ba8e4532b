"""Binary cross-entropy per class on logits, optionally focal or asymmetric (multi-label)."""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vidreg.registry import MODELS


@MODELS.register_module()
class AsymmetricLoss(nn.Module):
    """Sigmoid binary cross-entropy of each class, with focusing (Ridnik et al., "Asymmetric
    Loss For Multi-Label Classification", ICCV 2021).

    For a class with probability ``p = sigmoid(logit)``, a present class costs
    ``-(1 - p)^gamma_pos * log(p)`` and an absent one ``-p_m^gamma_neg * log(1 - p_m)``, where
    ``p_m = max(p - clip, 0)`` discards easy negatives below ``clip``. The defaults (0, 0, 0)
    are plain binary cross-entropy; ``gamma_pos = gamma_neg = 2`` is the focal loss (Lin et
    al., ICCV 2017) without its alpha; ASL's paper uses ``gamma_pos=0, gamma_neg=4,
    clip=0.05``, which helps when most labels of a video are absent. The loss is the mean over
    all B x K terms (as ``BCEWithLogitsLoss``), so its size does not grow with K.

    Args:
        gamma_pos: Focusing exponent of present classes (>= 0).
        gamma_neg: Focusing exponent of absent classes (>= 0).
        clip: Probability margin shifted off absent classes, in [0, 1).
        pos_weight: Per-class weight of the present term (K values, e.g. absent/present
            counts of the training split), as ``BCEWithLogitsLoss``'s ``pos_weight``.
        loss_weight: Multiplier of the loss.
    """

    def __init__(self, *, gamma_pos: float = 0.0, gamma_neg: float = 0.0, clip: float = 0.0,
                 pos_weight: list[float] | None = None, loss_weight: float = 1.0) -> None:
        super().__init__()
        if gamma_pos < 0 or gamma_neg < 0 or not 0 <= clip < 1:
            raise ValueError(f'AsymmetricLoss needs gamma_pos, gamma_neg >= 0 and clip in [0, 1), '
                             f'got {gamma_pos}, {gamma_neg}, {clip}')
        self.gamma_pos, self.gamma_neg, self.clip = gamma_pos, gamma_neg, clip
        weight = None if pos_weight is None else torch.tensor(pos_weight, dtype=torch.float32)
        self.register_buffer('pos_weight', weight, persistent=False)
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Args: logits (B, K); target (B, K) float 0/1 (multi-hot). Returns a scalar."""
        if logits.shape != target.shape:
            raise ValueError(f'AsymmetricLoss: logits {tuple(logits.shape)} and multi-hot targets '
                             f'{tuple(target.shape)} differ in shape')
        log_p, log_not_p = F.logsigmoid(logits), F.logsigmoid(-logits)  # (B, K) each, stable
        prob = log_p.exp()
        positive = -log_p
        if self.gamma_pos:
            positive = positive * (1 - prob).pow(self.gamma_pos)
        if self.pos_weight is not None:
            positive = positive * self.pos_weight
        if self.clip:
            shifted = (prob - self.clip).clamp(min=0)  # (B, K)
            log_not_p = torch.log1p(-shifted.clamp(max=1 - 1e-6))
        else:
            shifted = prob
        negative = -log_not_p
        if self.gamma_neg:
            negative = negative * shifted.pow(self.gamma_neg)
        loss = target * positive + (1 - target) * negative  # (B, K)
        return self.loss_weight * loss.mean()
