"""Resize: output sizes, dtype, values."""
import pytest
import torch

from vidreg.pipeline import Resize


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


def test_shrinking_is_antialiased_and_frame_by_frame():
    """A one-pixel checkerboard shrunk 4x is flat grey, not a pattern of its samples."""
    board = (torch.arange(16).view(1, 16) + torch.arange(16).view(16, 1)) % 2 * 255
    imgs = torch.stack([board.to(torch.uint8).expand(3, 16, 16), clip(n=1, h=16, w=16)[0]])
    out = Resize(scale=(4, 4))(dict(imgs=imgs))['imgs']
    assert (out[0].int() - 127).abs().max() <= 1
    alone = Resize(scale=(4, 4))(dict(imgs=imgs[1:]))['imgs']
    assert torch.equal(alone[0], out[1])  # each frame depends on itself only


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


@pytest.mark.parametrize('interpolation, flag', [('bilinear', 1), ('bicubic', 2)])
def test_without_antialias_it_is_opencv_per_frame(interpolation, flag):
    """antialias=False gives what mmcv.imresize (cv2 INTER_LINEAR/CUBIC) gives MMAction2."""
    import cv2
    import numpy as np
    imgs = clip(n=3, h=30, w=41).contiguous(memory_format=torch.channels_last)
    out = Resize(scale=(17, 12), interpolation=interpolation, antialias=False)(dict(imgs=imgs))
    frames = imgs.permute(0, 2, 3, 1).numpy()
    expected = np.stack([cv2.resize(f, (17, 12), interpolation=flag) for f in frames])
    assert np.array_equal(out['imgs'].permute(0, 2, 3, 1).numpy(), expected)
    gray = Resize(short_side=10, antialias=False)(dict(imgs=clip(n=2, h=20, w=30)[:, :1]))
    assert gray['imgs'].shape == (2, 1, 10, 15)
