import pytest
import torch
from torch.nn.utils import parametrize

from vidreg.models.temporal import TCN
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS


def _features(batch=2, frames=4):
    return torch.randn(batch, 6, frames, 2, 2, generator=torch.Generator().manual_seed(0))


def _tcn(**kwargs):
    torch.manual_seed(0)
    args = dict(TINY_KWARGS['TCN'], in_channels=6)
    args.update(kwargs)
    return TCN(**args)


@pytest.mark.parametrize('reduction', ['last', 'mean', 'sum', 'attention'])
@pytest.mark.parametrize('proj_channels', [None, 4])
def test_shape_finite_and_backward(reduction, proj_channels):
    tcn = _tcn(reduction=reduction, proj_channels=proj_channels)
    assert tcn.out_channels == 8
    x = _features().requires_grad_()
    out = tcn(x)
    assert out.shape == (2, 8) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None
    assert all(p.grad is not None for p in tcn.parameters())


def test_built_by_registry_with_injected_in_channels():
    tcn = MODELS.build(dict(type='TCN', **TINY_KWARGS['TCN']), default_args=dict(in_channels=6))
    assert isinstance(tcn, TCN) and tcn.proj.in_channels == 6


def test_is_causal():
    tcn = _tcn(num_levels=3).eval()
    x = _features(frames=8)
    steps = tcn.forward_sequence(x)
    assert steps.shape == (2, 8, 8)
    for t in range(7):
        changed = x.clone()
        changed[:, :, t + 1:] = torch.randn_like(changed[:, :, t + 1:])
        new_steps = tcn.forward_sequence(changed)
        torch.testing.assert_close(new_steps[:, :, :t + 1], steps[:, :, :t + 1])
        assert not torch.allclose(new_steps[:, :, t + 1:], steps[:, :, t + 1:])


@pytest.mark.parametrize('reduction', ['last', 'mean', 'sum', 'attention'])
def test_depends_on_frame_order(reduction):
    tcn = _tcn(reduction=reduction).eval()
    x = _features()
    assert not torch.allclose(tcn(x.flip(2)), tcn(x), atol=1e-6)


@pytest.mark.parametrize('reduction', ['last', 'sum', 'attention'])
def test_batch_independence(reduction):
    tcn = _tcn(reduction=reduction).eval()
    x = _features(batch=3)
    out = tcn(x)
    for b in range(3):
        torch.testing.assert_close(tcn(x[b:b + 1]), out[b:b + 1])


def test_seed_structure_and_init():
    tcn = TCN(in_channels=512, proj_channels=32)
    assert len(tcn.blocks) == 8 and tcn.out_channels == 128
    assert [block.conv1.dilation[0] for block in tcn.blocks] == [2 ** i for i in range(8)]
    assert tcn.blocks[0].downsample is not None and tcn.blocks[1].downsample is None
    conv = tcn.blocks[0].conv1
    assert conv.kernel_size == (7,) and parametrize.is_parametrized(conv, 'weight')
    assert abs(conv.weight.std().item() - 0.01) < 0.002  # N(0, 0.01) is the effective weight
    assert not parametrize.is_parametrized(_tcn(weight_norm=False).blocks[0].conv1)


def test_dropout_only_in_train_mode():
    tcn = _tcn(dropout=0.5)
    x = _features()
    assert not torch.allclose(tcn.train()(x), tcn(x))
    torch.testing.assert_close(tcn.eval()(x), tcn(x))


def test_rejects_clip_without_space_axes():
    with pytest.raises(ValueError, match='B, D, T, H, W'):
        _tcn()(torch.zeros(2, 6, 4))
