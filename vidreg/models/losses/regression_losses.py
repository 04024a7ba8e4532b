"""Point-wise regression losses: MSE, L1 and smooth L1 (one small family)."""
from torch import Tensor, nn
from torch.nn import functional as F

from vidreg.registry import MODELS


class _RegressionLoss(nn.Module):
    """Mean of a point-wise error between ``pred (B, K)`` and ``target (B, K)``."""

    def __init__(self, *, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def error(self, pred: Tensor, target: Tensor) -> Tensor:
        raise NotImplementedError

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """Args: pred (B, K); target (B, K). Returns a scalar."""
        return self.loss_weight * self.error(pred, target.to(pred.dtype))


@MODELS.register_module()
class MSELoss(_RegressionLoss):
    """Mean squared error."""

    def error(self, pred: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(pred, target)


@MODELS.register_module()
class L1Loss(_RegressionLoss):
    """Mean absolute error."""

    def error(self, pred: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(pred, target)


@MODELS.register_module()
class SmoothL1Loss(_RegressionLoss):
    """Huber-style loss: quadratic below ``beta``, linear above."""

    def __init__(self, *, beta: float = 1.0, loss_weight: float = 1.0) -> None:
        super().__init__(loss_weight=loss_weight)
        self.beta = beta

    def error(self, pred: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(pred, target, beta=self.beta)
