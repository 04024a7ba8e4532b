"""AsymmetricLoss: binary cross-entropy at its defaults, focal and asymmetric when asked."""
import pytest
import torch
import torch.nn.functional as F

from vidreg.models.losses import AsymmetricLoss


def test_asymmetric_loss_defaults_to_binary_cross_entropy_and_focuses_when_asked():
    logits = torch.tensor([[2.0, -1.0, 0.5], [-3.0, 0.2, 4.0]])
    target = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    bce = F.binary_cross_entropy_with_logits(logits, target)
    assert torch.allclose(AsymmetricLoss()(logits, target), bce)
    focal = AsymmetricLoss(gamma_pos=2, gamma_neg=2)(logits, target)
    assert 0 < focal < bce  # easy examples weigh less
    clipped = AsymmetricLoss(gamma_neg=4, clip=0.05)(logits, target)
    assert torch.isfinite(clipped) and clipped < bce
    weighted = AsymmetricLoss(pos_weight=[2.0, 2.0, 2.0])(logits, target)
    expected = F.binary_cross_entropy_with_logits(logits, target,
                                                  pos_weight=torch.full((3,), 2.0))
    assert torch.allclose(weighted, expected)
    with pytest.raises(ValueError, match='differ in shape'):
        AsymmetricLoss()(logits, target[:, :2])
