"""RandomCrop, CenterCrop, RandomResizedCrop, MultiScaleCrop, ThreeCrop, TenCrop."""
import numpy as np
import pytest

from vidreg.pipeline import (
    CenterCrop,
    MultiScaleCrop,
    RandomCrop,
    RandomResizedCrop,
    TenCrop,
    ThreeCrop,
)


def identical_frames(n=4, h=32, w=48):
    """A clip whose frames are all the same random image: any per-frame drift shows."""
    frame = np.random.default_rng(0).integers(0, 256, (1, 3, h, w), dtype=np.uint8)
    return np.repeat(frame, n, axis=0)


def assert_frames_identical(imgs):
    assert (imgs == imgs[:1]).all()


@pytest.mark.parametrize('transform', [RandomCrop(16), RandomCrop((20, 10)),
                                       RandomResizedCrop(size=16), CenterCrop((20, 10)),
                                       MultiScaleCrop(size=16)])
def test_one_window_per_clip(transform):
    np.random.seed(0)
    for _ in range(5):
        results = transform(dict(imgs=identical_frames(), test_mode=False))
        imgs = results['imgs']
        assert imgs.dtype == np.uint8 and results['img_shape'] == tuple(imgs.shape[-2:])
        assert imgs.shape[:2] == (4, 3) and imgs.shape[-2:] in ((16, 16), (10, 20))
        assert_frames_identical(imgs)


def test_center_crop_content():
    imgs = identical_frames(h=10, w=12)
    out = CenterCrop((4, 2))(dict(imgs=imgs))['imgs']  # (w, h) = (4, 2)
    assert np.array_equal(out, imgs[..., 4:6, 4:8])


def test_random_crops_are_random_in_train_and_central_in_test():
    imgs = identical_frames(h=40, w=40)
    np.random.seed(0)
    windows = {RandomCrop(16)(dict(imgs=imgs))['imgs'][0].sum() for _ in range(10)}
    assert len(windows) > 1
    central = CenterCrop(16)(dict(imgs=imgs))['imgs']
    assert np.array_equal(RandomCrop(16)(dict(imgs=imgs, test_mode=True))['imgs'], central)
    rrc = RandomResizedCrop(size=(20, 10))
    first = rrc(dict(imgs=imgs, test_mode=True))['imgs']
    assert first.shape == (4, 3, 10, 20)
    assert np.array_equal(rrc(dict(imgs=imgs, test_mode=True))['imgs'], first)


def test_random_resized_crop_window_respects_ranges():
    np.random.seed(0)
    rrc = RandomResizedCrop(size=8, area_range=(0.25, 0.5), aspect_ratio_range=(0.5, 2.0))
    for _ in range(50):
        top, left, h, w = rrc.window(100, 200)
        assert 0 <= top <= 100 - h and 0 <= left <= 200 - w
        assert 0.24 * 20000 <= h * w <= 0.51 * 20000 and 0.45 <= w / h <= 2.2


def test_multi_scale_crop_windows_follow_the_scales_and_offsets():
    """Sides are scales of the short side (gap <= 1), at the 5 fixed offsets."""
    np.random.seed(0)
    msc = MultiScaleCrop(size=8, scales=(1, 0.75, 0.5))
    sides = {200: 0, 150: 1, 100: 2}
    windows = set()
    for _ in range(300):
        top, left, h, w = msc.window(200, 300)
        assert abs(sides[w] - sides[h]) <= 1
        assert (left * 4) % (300 - w) == 0 and (top * 4) % max(200 - h, 1) == 0
        windows.add((top, left, h, w))
    assert (0, 0, 200, 200) in windows and (25, 75, 150, 150) in windows  # a corner; the centre
    assert not any(abs(sides[w] - sides[h]) > 1 for _, _, h, w in windows)
    assert len({(h, w) for _, _, h, w in windows}) == 7  # all pairs with gap <= 1
    assert msc.window(200, 300, test_mode=True) == (0, 50, 200, 200)
    thirteen = MultiScaleCrop(size=8, scales=(0.5,), num_fixed_offsets=13)
    # (H - h, W - w) = (100, 200): offsets are whole quarters of those
    corners = {thirteen.window(200, 300)[:2] for _ in range(300)}
    assert corners == {(y * 100 // 4, x * 200 // 4) for x in range(5) for y in range(5)
                       if (x, y) in {(0, 0), (4, 0), (0, 4), (4, 4), (2, 2), (0, 2), (4, 2), (2, 4),
                                     (2, 0), (1, 1), (3, 1), (1, 3), (3, 3)}}


def test_multi_scale_crop_random_offsets_and_bad_arguments():
    np.random.seed(0)
    msc = MultiScaleCrop(size=8, scales=(0.5,), random_offset=True)
    lefts = {msc.window(100, 300)[1] for _ in range(50)}
    assert len(lefts) > 10 and all(0 <= left <= 250 for left in lefts)
    out = MultiScaleCrop(size=(20, 10))(dict(imgs=identical_frames(h=40, w=60)))['imgs']
    assert out.shape == (4, 3, 10, 20)
    with pytest.raises(ValueError, match='scales'):
        MultiScaleCrop(size=8, scales=(1.5,))
    with pytest.raises(ValueError, match='num_fixed_offsets'):
        MultiScaleCrop(size=8, num_fixed_offsets=7)


def test_crop_larger_than_frame_says_resize():
    with pytest.raises(ValueError, match='Resize'):
        CenterCrop(64)(dict(imgs=identical_frames()))


def test_three_crop_covers_the_long_side():
    imgs = identical_frames(n=2, h=16, w=40)
    results = ThreeCrop(16)(dict(imgs=imgs))
    out = results['imgs']
    assert out.shape == (6, 3, 16, 16) and results['num_crops'] == 3
    for k, left in enumerate((0, 12, 24)):  # crop-major: crop k holds frames 2k, 2k+1
        assert np.array_equal(out[2 * k:2 * k + 2], imgs[..., :, left:left + 16])
    portrait = ThreeCrop(16)(dict(imgs=identical_frames(n=2, h=40, w=20)))['imgs']
    assert portrait.shape == (6, 3, 16, 16)


def test_ten_crop_counts_and_flips():
    imgs = identical_frames(n=3, h=20, w=24)
    results = TenCrop((10, 8))(dict(imgs=imgs))
    out = results['imgs']
    assert out.shape == (30, 3, 8, 10) and results['num_crops'] == 10
    assert out.dtype == np.uint8
    assert np.array_equal(out[:3], imgs[..., :8, :10])  # top-left first
    assert np.array_equal(out[15:18], out[:3, ..., ::-1])
