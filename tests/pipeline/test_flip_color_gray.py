"""Flip, ColorJitter and Grayscale: one draw per clip, nothing random in test mode."""
import numpy as np
import pytest

from vidreg.pipeline import ColorJitter, Flip, Grayscale
from vidreg.pipeline.color_jitter import adjust_hue


def identical_frames(n=4, h=16, w=20):
    frame = np.random.default_rng(0).integers(0, 256, (1, 3, h, w), dtype=np.uint8)
    return np.repeat(frame, n, axis=0)


def test_flip_all_or_nothing():
    imgs = identical_frames()
    flipped = Flip(prob=1.0)(dict(imgs=imgs))
    assert flipped['flip'] and np.array_equal(flipped['imgs'], imgs[..., ::-1])
    assert not Flip(prob=0.0)(dict(imgs=imgs))['flip']
    np.random.seed(0)
    draws = [Flip(prob=0.5)(dict(imgs=imgs))['flip'] for _ in range(20)]
    assert 0 < sum(draws) < 20
    test = Flip(prob=1.0)(dict(imgs=imgs, test_mode=True))
    assert not test['flip'] and np.array_equal(test['imgs'], imgs)


def test_color_jitter_same_for_all_frames_and_off_in_test():
    imgs = identical_frames()
    jitter = ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.2)
    np.random.seed(0)
    outs = [jitter(dict(imgs=imgs.copy()))['imgs'] for _ in range(3)]
    for out in outs:
        assert out.dtype == np.uint8 and out.shape == imgs.shape
        assert (out == out[:1]).all()
    assert not np.array_equal(outs[0], outs[1])
    assert np.array_equal(jitter(dict(imgs=imgs, test_mode=True))['imgs'], imgs)
    with pytest.raises(ValueError):
        ColorJitter(hue=0.7)


def test_hue_shift_of_half_a_turn_gives_the_complementary_colour():
    red = np.zeros((1, 3, 4, 4), dtype=np.uint8)
    red[:, 0] = 255
    cyan = adjust_hue(red, 0.5)
    assert cyan.shape == red.shape and cyan.dtype == np.uint8
    assert cyan[0, 0].max() <= 5 and cyan[0, 1:].min() >= 250
    assert np.array_equal(adjust_hue(red, 0.0), red)


@pytest.mark.parametrize('channels', [1, 3])
def test_grayscale(channels):
    imgs = np.zeros((2, 3, 4, 4), dtype=np.uint8)
    imgs[:, 0], imgs[:, 1], imgs[:, 2] = 200, 100, 50
    out = Grayscale(num_output_channels=channels)(dict(imgs=imgs))['imgs']
    assert out.shape == (2, channels, 4, 4) and out.dtype == np.uint8
    expected = 0.299 * 200 + 0.587 * 100 + 0.114 * 50
    assert np.abs(out.astype(float) - expected).max() <= 1
    random_gray = Grayscale(prob=0.5)
    assert np.array_equal(random_gray(dict(imgs=imgs, test_mode=True))['imgs'], imgs)
