import torch

from vidreg.models.temporal import TemporalAvgPool
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS


def _features(batch=2):
    return torch.randn(batch, 6, 4, 2, 2, generator=torch.Generator().manual_seed(0))


def test_mean_over_space_and_time():
    pool = MODELS.build(dict(type='TemporalAvgPool', **TINY_KWARGS['TemporalAvgPool']),
                        default_args=dict(in_channels=6))
    assert pool.out_channels == 6
    x = _features().requires_grad_()
    out = pool(x)
    assert out.shape == (2, 6) and torch.isfinite(out).all()
    torch.testing.assert_close(out, x.mean(dim=(2, 3, 4)))
    out.sum().backward()
    assert x.grad is not None


def test_ignores_frame_order_and_other_samples():
    pool = TemporalAvgPool(6).eval()
    x = _features(batch=3)
    out = pool(x)
    torch.testing.assert_close(pool(x.flip(2)), out)
    torch.testing.assert_close(pool(x[2:3]), out[2:3])
