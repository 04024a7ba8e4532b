"""CORNHead: K - 1 conditional logits -> rank-consistent level probabilities, read as a
classifier's scores by every consumer."""
import pytest
import torch

from vidreg.models.heads import CORNHead, level_probabilities
from vidreg.structures import VideoDataSample


def test_level_probabilities_are_a_distribution_whose_tail_never_rises():
    logits = torch.tensor([[4.0, -1.0, 2.0], [-3.0, 5.0, 5.0], [0.0, 0.0, 0.0]])
    probs = level_probabilities(logits)  # (3, 4)
    assert probs.shape == (3, 4) and (probs >= 0).all()
    assert torch.allclose(probs.sum(dim=1), torch.ones(3))
    exceeds = 1 - probs.cumsum(dim=1)[:, :-1]  # P(y > k)
    assert torch.allclose(exceeds, torch.sigmoid(logits).cumprod(dim=1), atol=1e-6)
    assert (exceeds[:, 1:] <= exceeds[:, :-1] + 1e-7).all()


def test_head_outputs_k_minus_one_logits_and_packs_level_scores():
    torch.manual_seed(0)
    head = CORNHead(in_channels=8, num_classes=4)
    x = torch.randn(3, 8)
    assert head(x).shape == (3, 3) and head.task == 'classification'
    samples = [VideoDataSample().set_gt_label(level, 'classification') for level in (0, 2, 3)]
    loss = head.loss(x, samples)['loss_cls']
    loss.backward()
    assert torch.isfinite(loss) and head.fc.weight.grad.abs().sum() > 0
    packed = head.pack(head.activate(head(x)), samples)
    assert packed[0].pred_score.shape == (4,)
    assert packed[1].pred_label == packed[1].pred_score.argmax()


def test_fewer_than_two_levels_is_refused():
    with pytest.raises(ValueError, match='num_classes >= 2'):
        CORNHead(in_channels=8, num_classes=1)
