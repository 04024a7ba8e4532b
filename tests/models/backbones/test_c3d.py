"""C3D: the published layout, the input-size check of its fc layers, the BatchNorm variant."""
import pytest
import torch

from vidreg.models.backbones import C3D
from vidreg.testing.tiny import tiny_clip


def test_sports1m_layout_and_parameter_count():
    with torch.device('meta'):  # shapes only
        model = C3D()
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert shapes['conv1a.conv.weight'] == (64, 3, 3, 3, 3)
    assert shapes['conv5b.conv.weight'] == (512, 512, 3, 3, 3)
    assert shapes['fc6.weight'] == (4096, 8192)  # pool5 = 512 x 1 x 4 x 4 at 16x112x112
    assert shapes['fc7.weight'] == (4096, 4096)
    # 78.2 M with a 51-class fc8 (SPEC §3.3) = this backbone + 4096 * 51 + 51.
    assert sum(v.numel() for v in model.parameters()) + 4096 * 51 + 51 == 78_204_723


def test_fc_layers_reject_other_clip_sizes():
    model = C3D(base_channels=4, fc_channels=8, input_size=(4, 32, 32))
    out = model(tiny_clip())
    assert out.shape == (2, 8, 1, 1, 1) and torch.isfinite(out).all()
    with pytest.raises(ValueError, match=r'T x H x W = \(4, 32, 32\).*got \(8, 32, 32\)'):
        model(tiny_clip(frames=8))


def test_without_fc_any_clip_size_and_batchnorm_variant():
    model = C3D(base_channels=4, fc_channels=None, norm=True)
    assert model.out_channels == 32 and model.conv1a.conv.bias is None
    out = model(tiny_clip(frames=8, size=64).requires_grad_())
    assert out.shape == (2, 32, 1, 3, 3)
    out.sum().backward()
    assert model.conv1a.conv.weight.grad is not None
    assert 'fc' not in model.stage_names


def test_ceil_mode_pools_equal_the_published_floor_pools_at_16x112x112():
    """Rounding up lets short clips through but changes nothing at C3D's own input size."""
    model = C3D(base_channels=4, fc_channels=None).eval()
    clip = tiny_clip(batch=1, frames=16, size=112)
    with torch.no_grad():
        ours = model(clip)  # (1, 32, 1, 4, 4)
        for index in range(1, 6):
            getattr(model, f'pool{index}').ceil_mode = False
        floor = model(clip)
    assert ours.shape == (1, 32, 1, 4, 4) and torch.equal(ours, floor)
