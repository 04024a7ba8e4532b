"""Spatial transforms on several keys: one set of random parameters per sample, flow-aware flip."""
import numpy as np
import pytest

from vidreg.pipeline import (
    CenterCrop,
    Compose,
    Flip,
    MultiScaleCrop,
    RandomCrop,
    RandomResizedCrop,
    Resize,
    TenCrop,
    ThreeCrop,
)

KEYS = ('imgs', 'flow')


def two_modalities(n=4, h=24, w=32):
    """RGB frames and a fake flow field whose pixels all encode their own (x, y) position.

    Any crop/resize of both with the same window leaves flow[:, 0] equal to imgs[:, 0]
    (x coordinate) and flow[:, 1] to imgs[:, 1] (y coordinate).
    """
    xs = np.broadcast_to(np.arange(w, dtype=np.uint8) * np.uint8(7), (h, w))
    ys = np.broadcast_to(np.arange(h, dtype=np.uint8)[:, None] * np.uint8(9), (h, w))
    rgb = np.repeat(np.stack([xs, ys, xs ^ ys])[None], n, axis=0)  # (N, 3, H, W)
    flow = rgb[:, :2].copy()  # (N, 2, H, W)
    return dict(imgs=rgb, flow=flow, filename='toy')


@pytest.mark.parametrize('transform', [
    RandomCrop(crop_size=(16, 12), keys=KEYS),
    RandomResizedCrop(size=12, keys=KEYS, interpolation='nearest'),
    MultiScaleCrop(size=12, random_offset=True, keys=KEYS, interpolation='nearest'),
    CenterCrop(crop_size=10, keys=KEYS),
    Resize(scale=(16, 12), keys=KEYS, interpolation='nearest'),
], ids=lambda t: type(t).__name__)
def test_rgb_and_flow_get_the_same_window(transform):
    np.random.seed(3)
    for _ in range(5):  # several draws: each one shared by both keys
        out = transform(two_modalities())
        assert out['imgs'].shape[-2:] == out['flow'].shape[-2:] == out['img_shape']
        assert out['flow'].shape[1] == 2 and out['imgs'].shape[1] == 3
        assert np.array_equal(out['flow'], out['imgs'][:, :2])


@pytest.mark.parametrize('multi_crop, views', [(ThreeCrop, 3), (TenCrop, 10)])
def test_multi_crops_cut_the_same_views_from_every_key(multi_crop, views):
    out = multi_crop(crop_size=16, keys=KEYS)(two_modalities())
    assert out['num_crops'] == views and out['flow'].shape == (views * 4, 2, 16, 16)
    if views == 3:
        assert np.array_equal(out['flow'], out['imgs'][:, :2])
    else:  # the five mirrored views of the flow field keep x unnegated without flow_keys
        assert np.array_equal(out['flow'], out['imgs'][:, :2])
        flow = TenCrop(crop_size=16, keys=KEYS, flow_keys=('flow',))(two_modalities())['flow']
        assert np.array_equal(flow[:20], out['flow'][:20])
        assert np.array_equal(flow[20:, 0], 255 - out['flow'][20:, 0])
        assert np.array_equal(flow[20:, 1], out['flow'][20:, 1])


def test_flip_negates_flow_x_and_only_flow_x():
    sample = two_modalities()
    out = Flip(prob=1.0, keys=KEYS, flow_keys=('flow',))(dict(sample))
    assert out['flip']
    assert np.array_equal(out['imgs'], sample['imgs'][..., ::-1])  # RGB: mirrored only
    mirrored = sample['flow'][..., ::-1]
    assert np.array_equal(out['flow'][:, 0], 255 - mirrored[:, 0])  # x negated
    assert np.array_equal(out['flow'][:, 1], mirrored[:, 1])  # y kept
    # Without flow_keys both keys are plain images: mirrored, nothing negated.
    plain = Flip(prob=1.0, keys=KEYS)(dict(sample))
    assert np.array_equal(plain['flow'], mirrored)


def test_one_flip_draw_for_both_keys_in_a_pipeline():
    pipeline = Compose([RandomResizedCrop(size=12, keys=KEYS, interpolation='nearest'),
                        Flip(prob=0.5, keys=KEYS, flow_keys=('flow',))])
    np.random.seed(0)
    flips = []
    for _ in range(8):
        out = pipeline(two_modalities())
        flips.append(out['flip'])
        x = out['imgs'][:, 0]
        assert np.array_equal(out['flow'][:, 0], 255 - x if out['flip'] else x)
        assert np.array_equal(out['flow'][:, 1], out['imgs'][:, 1])
    assert 0 < sum(flips) < 8


def test_bad_keys_are_named():
    with pytest.raises(ValueError, match='flow_keys'):
        Flip(keys=('imgs',), flow_keys=('flow',))
    with pytest.raises(ValueError, match='sequence of key names'):
        CenterCrop(crop_size=8, keys='imgs')
    with pytest.raises(KeyError, match="no key 'flow'"):
        CenterCrop(crop_size=8, keys=KEYS)(dict(imgs=np.zeros((2, 3, 16, 16), np.uint8)))
    sample = two_modalities()
    sample['flow'] = sample['flow'][..., :20]
    with pytest.raises(ValueError, match='differ in size'):
        CenterCrop(crop_size=8, keys=KEYS)(sample)
    with pytest.raises(ValueError, match=r'\(N, 2, H, W\)'):
        Flip(prob=1.0, keys=KEYS, flow_keys=('imgs',))(two_modalities())
