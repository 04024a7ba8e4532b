"""Resize: output sizes, dtype, values; OpenCV kernels, INTER_AREA when antialiased shrinking."""
import cv2
import numpy as np
import pytest

from vidreg.pipeline import Resize


def clip(n=4, h=32, w=48, value=None, channels=3):
    """uint8 frames (N, C, H, W) stored channels-last, as decoded."""
    if value is not None:
        frames = np.full((n, h, w, channels), value, dtype=np.uint8)
    else:
        frames = np.random.default_rng(0).integers(0, 256, (n, h, w, channels), dtype=np.uint8)
    return frames.transpose(0, 3, 1, 2)


@pytest.mark.parametrize('h,w,expected',
                         [(32, 48, (16, 24)), (48, 32, (24, 16)), (30, 30, (16, 16))])
def test_short_side_keeps_ratio(h, w, expected):
    results = Resize(short_side=16)(dict(imgs=clip(h=h, w=w), img_shape=(h, w)))
    assert tuple(results['imgs'].shape) == (4, 3, *expected)
    assert results['img_shape'] == expected and results['imgs'].dtype == np.uint8


def test_fixed_scale_is_w_h_and_values_survive():
    results = Resize(scale=(20, 10))(dict(imgs=clip(value=77)))
    assert tuple(results['imgs'].shape) == (4, 3, 10, 20) and results['img_shape'] == (10, 20)
    assert (results['imgs'] == 77).all()
    up = Resize(short_side=64)(dict(imgs=clip(value=200)))['imgs']
    assert up.shape == (4, 3, 64, 96) and (up == 200).all()
    assert up.transpose(0, 2, 3, 1).flags.c_contiguous  # stored channels-last


def test_needs_exactly_one_size():
    with pytest.raises(ValueError):
        Resize()
    with pytest.raises(ValueError):
        Resize(scale=(10, 10), short_side=10)
    with pytest.raises(TypeError):
        Resize(short_sde=10)


def test_shrinking_is_antialiased_and_frame_by_frame():
    """A one-pixel checkerboard shrunk 4x is flat grey, not a pattern of its samples."""
    board = ((np.arange(16)[None] + np.arange(16)[:, None]) % 2 * 255).astype(np.uint8)
    imgs = np.stack([np.broadcast_to(board, (3, 16, 16)), clip(n=1, h=16, w=16)[0]])
    out = Resize(scale=(4, 4))(dict(imgs=imgs))['imgs']
    assert np.abs(out[0].astype(int) - 127).max() <= 1
    alone = Resize(scale=(4, 4))(dict(imgs=imgs[1:]))['imgs']
    assert np.array_equal(alone[0], out[1])  # each frame depends on itself only


@pytest.mark.parametrize('channels', [1, 2, 3])
@pytest.mark.parametrize('interpolation', ['bilinear', 'bicubic', 'nearest'])
def test_any_channel_count_and_mode(channels, interpolation):
    imgs = clip(n=2, h=10, w=14, channels=channels)
    for scale in ((7, 5), (28, 20)):  # shrink and enlarge
        out = Resize(scale=scale, interpolation=interpolation)(dict(imgs=imgs))['imgs']
        assert out.shape == (2, channels, scale[1], scale[0]) and out.dtype == np.uint8
    nearest = Resize(scale=(28, 20), interpolation='nearest')(dict(imgs=imgs))['imgs']
    assert np.array_equal(nearest[..., ::2, ::2], imgs)


def test_unknown_interpolation_is_refused():
    with pytest.raises(ValueError, match='interpolation'):
        Resize(short_side=8, interpolation='lanczos')


@pytest.mark.parametrize('antialias, scale, flag', [
    (False, (17, 12), cv2.INTER_LINEAR),  # MMAction2's mmcv.imresize
    (True, (17, 12), cv2.INTER_AREA),  # shrinking, antialiased: area averaging
    (True, (60, 44), cv2.INTER_LINEAR),  # enlarging: the interpolation kernel
])
def test_it_is_opencv_per_frame(antialias, scale, flag):
    imgs = clip(n=3, h=30, w=41)
    out = Resize(scale=scale, antialias=antialias)(dict(imgs=imgs))['imgs']
    frames = imgs.transpose(0, 2, 3, 1)
    expected = np.stack([cv2.resize(f, scale, interpolation=flag) for f in frames])
    assert np.array_equal(out.transpose(0, 2, 3, 1), expected)
    gray = Resize(short_side=10, antialias=antialias)(dict(imgs=clip(n=2, h=20, w=30)[:, :1]))
    assert gray['imgs'].shape == (2, 1, 10, 15)


def test_reports_every_argument():
    assert Resize(short_side=8).config() == dict(
        type='Resize', scale=None, short_side=8, interpolation='bilinear', antialias=True,
        keys=('imgs',))
