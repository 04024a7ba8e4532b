"""Resize: output sizes, dtype, values."""
import pytest
import torch

from vidreg.datasets.transforms import Resize


def clip(n=4, h=32, w=48, value=None):
    if value is not None:
        return torch.full((n, 3, h, w), value, dtype=torch.uint8)
    return torch.randint(0, 256, (n, 3, h, w), dtype=torch.uint8)


@pytest.mark.parametrize('h,w,expected',
                         [(32, 48, (16, 24)), (48, 32, (24, 16)), (30, 30, (16, 16))])
def test_short_side_keeps_ratio(h, w, expected):
    results = Resize(short_side=16)(dict(imgs=clip(h=h, w=w), img_shape=(h, w)))
    assert tuple(results['imgs'].shape) == (4, 3, *expected)
    assert results['img_shape'] == expected and results['imgs'].dtype == torch.uint8


def test_fixed_scale_is_w_h_and_values_survive():
    results = Resize(scale=(20, 10))(dict(imgs=clip(value=77)))
    assert tuple(results['imgs'].shape) == (4, 3, 10, 20) and results['img_shape'] == (10, 20)
    assert (results['imgs'] == 77).all()
    channels_last = clip(value=200).contiguous(memory_format=torch.channels_last)
    up = Resize(short_side=64)(dict(imgs=channels_last))['imgs']
    assert up.shape == (4, 3, 64, 96) and (up == 200).all()


def test_needs_exactly_one_size():
    with pytest.raises(ValueError):
        Resize()
    with pytest.raises(ValueError):
        Resize(scale=(10, 10), short_side=10)
    with pytest.raises(TypeError):
        Resize(short_sde=10)


def test_shrinking_averages_each_footprint():
    """Bilinear shrinking is antialiased: a 2x reduction is the mean of each 2x2 block."""
    imgs = clip(n=3, h=8, w=12)
    out = Resize(scale=(6, 4))(dict(imgs=imgs))['imgs']
    blocks = imgs.double().reshape(3, 3, 4, 2, 6, 2).mean(dim=(3, 5))
    assert (out.double() - blocks).abs().max() <= 0.5  # uint8 rounding only
    # Each frame depends on itself only.
    alone = Resize(scale=(6, 4))(dict(imgs=imgs[1:2]))['imgs']
    assert torch.equal(alone[0], out[1])


@pytest.mark.parametrize('channels', [1, 2, 3])
@pytest.mark.parametrize('interpolation', ['bilinear', 'bicubic', 'nearest'])
def test_any_channel_count_and_mode(channels, interpolation):
    imgs = torch.randint(0, 256, (2, channels, 10, 14), dtype=torch.uint8)
    for scale in ((7, 5), (28, 20)):  # shrink and enlarge
        out = Resize(scale=scale, interpolation=interpolation)(dict(imgs=imgs))['imgs']
        assert out.shape == (2, channels, scale[1], scale[0]) and out.dtype == torch.uint8
    nearest = Resize(scale=(28, 20), interpolation='nearest')(dict(imgs=imgs))['imgs']
    assert torch.equal(nearest[..., ::2, ::2], imgs)


def test_unknown_interpolation_is_refused():
    with pytest.raises(ValueError, match='interpolation'):
        Resize(short_side=8, interpolation='lanczos')
