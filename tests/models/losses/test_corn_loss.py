"""CORNLoss: the conditional binary tasks of CORN, vectorised."""
import torch
from torch.nn import functional as F

from vidreg.models.losses import CORNLoss


def reference_corn_loss(logits, levels):
    """The loop of the CORN paper's code (coral_pytorch.losses.corn_loss)."""
    total, count = 0.0, 0
    for k in range(logits.shape[1]):
        seen = levels > k - 1
        if not seen.any():
            continue
        target = (levels[seen] > k).float()
        logit = logits[seen, k]
        total = total - (F.logsigmoid(logit) * target
                         + (F.logsigmoid(logit) - logit) * (1 - target)).sum()
        count += int(seen.sum())
    return total / count


def test_equals_the_reference_loop_and_has_gradients():
    torch.manual_seed(0)
    logits = torch.randn(6, 3, requires_grad=True)
    levels = torch.tensor([0, 1, 2, 3, 3, 1])
    loss = CORNLoss(loss_weight=2.0)(logits, levels)
    assert torch.allclose(loss, 2 * reference_corn_loss(logits, levels), atol=1e-6)
    loss.backward()
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0


def test_a_batch_of_level_zero_trains_only_the_first_task():
    logits = torch.zeros(2, 3, requires_grad=True)
    CORNLoss()(logits, torch.tensor([0, 0])).backward()
    assert logits.grad[:, 0].abs().sum() > 0 and logits.grad[:, 1:].abs().sum() == 0
