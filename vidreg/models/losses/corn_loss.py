"""CORN loss: ordinal levels learned as K - 1 conditional binary tasks (Shi, Cao & Raschka,
"Deep Neural Networks for Rank-Consistent Ordinal Regression Based On Conditional
Probabilities", 2021; the reference code is ``coral_pytorch.losses.corn_loss``)."""
from torch import Tensor, nn
from torch.nn import functional as F

from vidreg.registry import MODELS


@MODELS.register_module()
class CORNLoss(nn.Module):
    """Binary cross-entropy of each conditional task ``P(y > k | y > k - 1)``.

    Task k (k = 0 .. K - 2) sees only the samples whose level is at least k, and learns
    whether the level exceeds k; the loss is the mean over every (sample, task) pair a task
    sees. Task 0 sees every sample, so a batch always has a loss.

    Args:
        loss_weight: Factor on the loss.
    """

    def __init__(self, *, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, levels: Tensor) -> Tensor:
        """Args: logits, the K - 1 conditional logits (B, K - 1); levels, int64 (B,) in
        [0, K - 1]. Returns a scalar."""
        tasks = logits.new_tensor(range(logits.shape[1]))  # (K - 1,): k
        levels = levels.to(logits.dtype)[:, None]  # (B, 1)
        seen = (levels >= tasks).to(logits.dtype)  # (B, K - 1): task k sees level >= k
        exceeds = (levels > tasks).to(logits.dtype)  # (B, K - 1): target 1{y > k}
        bce = F.binary_cross_entropy_with_logits(logits, exceeds, reduction='none')
        return self.loss_weight * (bce * seen).sum() / seen.sum()
