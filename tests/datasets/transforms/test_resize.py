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
