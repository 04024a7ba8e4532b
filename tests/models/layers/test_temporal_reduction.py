import pytest
import torch

from vidreg.models.layers import TemporalReduction


def _steps(batch=2, channels=6, steps=4):
    return torch.randn(batch, channels, steps, generator=torch.Generator().manual_seed(0))


def test_fixed_modes_compute_what_they_say():
    x = _steps()
    torch.testing.assert_close(TemporalReduction('last')(x), x[:, :, -1])
    torch.testing.assert_close(TemporalReduction('mean')(x), x.mean(dim=2))
    torch.testing.assert_close(TemporalReduction('sum')(x), x.sum(dim=2))


def test_attention_weights_steps_with_a_softmax_over_time():
    x = _steps()
    reduction = TemporalReduction('attention', channels=6)
    nn_score = reduction.score
    torch.nn.init.zeros_(nn_score.weight)
    torch.nn.init.zeros_(nn_score.bias)
    torch.testing.assert_close(reduction(x), x.mean(dim=2))  # equal scores -> mean
    x[:, 0] = 0.0
    x[0, 0, 1] = x[1, 0, 3] = 1.0  # channel 0 marks step 1 in sample 0, step 3 in sample 1
    with torch.no_grad():
        nn_score.weight[0, 0, 0] = 50.0  # the marked step dominates the softmax
    expected = torch.stack([x[0, :, 1], x[1, :, 3]])  # (B, E)
    torch.testing.assert_close(reduction(x), expected, atol=1e-4, rtol=1e-4)

@pytest.mark.parametrize('mode', ['last', 'mean', 'sum', 'attention'])
def test_shape_backward_and_batch_independence(mode):
    torch.manual_seed(0)
    reduction = TemporalReduction(mode, channels=6)
    x = _steps(batch=3).requires_grad_()
    out = reduction(x)
    assert out.shape == (3, 6) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None
    torch.testing.assert_close(reduction(x[1:2]), out[1:2])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='channels'):
        TemporalReduction('attention')
    with pytest.raises(ValueError, match='mode'):
        TemporalReduction('max')
    with pytest.raises(ValueError, match='B, E, T'):
        TemporalReduction('mean')(torch.zeros(2, 3))
