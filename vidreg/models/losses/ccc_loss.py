"""Concordance correlation loss, ``1 - CCC`` (the affective-computing standard, e.g. the AVEC
challenges; Lin, "A concordance correlation coefficient to evaluate reproducibility", 1989)."""
from torch import Tensor, nn

from vidreg.registry import MODELS


def concordance_correlation(pred: Tensor, target: Tensor, eps: float = 1e-8) -> Tensor:
    """Lin's CCC of each output over the batch.

    ``2 cov(x, y) / (var x + var y + (mean x - mean y) ** 2)`` with population (biased)
    moments. It is unchanged when x and y go through the same ``a + b * v`` with b > 0, so
    it is the same on standardised targets and predictions as in the targets' units.

    Args:
        pred: Predictions, (B, K).
        target: Targets, (B, K).
        eps: Added to the denominator: a batch where both are one constant gives 0.

    Returns:
        CCC per output, (K,), in [-1, 1].
    """
    pred_mean, target_mean = pred.mean(dim=0), target.mean(dim=0)  # (K,)
    pred_dev, target_dev = pred - pred_mean, target - target_mean  # (B, K)
    covariance = (pred_dev * target_dev).mean(dim=0)  # (K,)
    spread = pred_dev.pow(2).mean(dim=0) + target_dev.pow(2).mean(dim=0)  # (K,)
    return 2 * covariance / (spread + (pred_mean - target_mean).pow(2) + eps)


@MODELS.register_module()
class CCCLoss(nn.Module):
    """``1 - CCC`` of each output over the batch, averaged over the K outputs.

    A batch-level loss: it rewards predictions that follow the targets' spread and mean, not
    only their order (Pearson) or each error alone (MSE). Use batches of more than a few
    videos; with ``RegHead`` it sees standardised values, which leave the CCC unchanged.

    Args:
        loss_weight: Factor on the loss.
    """

    def __init__(self, *, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """Args: pred (B, K); target (B, K). Returns a scalar."""
        ccc = concordance_correlation(pred, target.to(pred.dtype))  # (K,)
        return self.loss_weight * (1 - ccc).mean()
