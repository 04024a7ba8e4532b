import numpy as np
import pytest
import torch
from torchvision.transforms.v2 import functional as TF

from vidreg.pipeline import FLOW_FIELDS, RGB_FRAMES, AugmentClip, RandomErasing
from vidreg.pipeline.augment_clip import apply_op


def clip(frames=3, size=24, seed=0):
    """(N, 3, H, W) uint8 whose frames are all the same image."""
    image = np.random.default_rng(seed).integers(0, 256, (1, 3, size, size), dtype=np.uint8)
    return np.repeat(image, frames, axis=0)


@pytest.mark.parametrize('step', [AugmentClip(policy='rand'), AugmentClip(policy='trivial'),
                                  RandomErasing(prob=1.0)], ids=repr)
def test_every_frame_gets_the_same_augmentation_and_the_draws_follow_numpys_seed(step):
    imgs = clip()
    changed = 0
    for seed in range(6):
        np.random.seed(seed)
        out = step(dict(imgs=imgs))['imgs']
        assert out.shape == imgs.shape and out.dtype == np.uint8
        assert (out == out[:1]).all(), 'frames augmented differently'
        changed += not np.array_equal(out, imgs)
        np.random.seed(seed)
        assert np.array_equal(step(dict(imgs=imgs))['imgs'], out)
    assert changed >= 4
    assert np.array_equal(clip(), imgs)  # the input is never changed in place


@pytest.mark.parametrize('step', [AugmentClip(policy='rand'), AugmentClip(policy='none'),
                                  RandomErasing(prob=1.0), RandomErasing(prob=0.0)], ids=repr)
def test_nothing_changes_in_test_mode_or_when_off(step):
    imgs = clip()
    if step.config().get('policy') == 'none' or step.config().get('prob') == 0:
        assert step(dict(imgs=imgs))['imgs'] is imgs
    assert step(dict(imgs=imgs, test_mode=True))['imgs'] is imgs


# the same operation as torchvision's functional on uint8 images (within rounding)
@pytest.mark.parametrize('name,magnitude,reference', [
    ('Posterize', 3, lambda x: TF.posterize(x, 3)),
    ('Solarize', 100.0, lambda x: TF.solarize(x, 100)),
    ('Equalize', 0.0, TF.equalize),
    ('AutoContrast', 0.0, TF.autocontrast),
    ('Brightness', 0.4, lambda x: TF.adjust_brightness(x, 1.4)),
    ('Color', -0.5, lambda x: TF.adjust_saturation(x, 0.5)),
    ('Sharpness', 0.7, lambda x: TF.adjust_sharpness(x, 1.7)),
    ('TranslateX', 5.0,
     lambda x: TF.affine(x, angle=0., translate=[5, 0], scale=1., shear=[0., 0.])),
])
def test_operations_match_torchvision(name, magnitude, reference):
    imgs = clip(frames=2, size=20, seed=1)
    expected = reference(torch.from_numpy(imgs)).numpy()
    got = apply_op(imgs, name, magnitude)
    assert np.abs(got.astype(int) - expected).max() <= 1, name


def test_rgb_only_and_bad_arguments():
    for step in (AugmentClip(), RandomErasing()):
        assert step.modalities(dict(imgs=RGB_FRAMES, flow=FLOW_FIELDS))['flow'] == FLOW_FIELDS
        with pytest.raises(ValueError, match='RGB frames'):
            step.modalities(dict(imgs=FLOW_FIELDS))
    with pytest.raises(ValueError, match='policy'):
        AugmentClip(policy='auto')
    with pytest.raises(ValueError, match='magnitude'):
        AugmentClip(magnitude=31)
    with pytest.raises(ValueError, match='value'):
        RandomErasing(value=300)
