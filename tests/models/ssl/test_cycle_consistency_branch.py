"""Cycle-consistent tracking: the cycles close on the target patch, geometry and patch choice."""
import pytest
import torch

from vidreg.models.ssl import CycleConsistencyBranch
from vidreg.models.ssl.cycle_consistency_branch import transformed_grid_loss


def build(**extra):
    args = dict(in_channels=4, feat_size=(12, 12), video_len=3, frame_gap=1, proj_channels=8)
    return CycleConsistencyBranch(**{**args, **extra})


def centred(loss, batch, tx=0.0):
    zeros = torch.zeros(batch)
    return loss.theta(zeros + tx, zeros, zeros)


def test_transformed_grid_loss():
    loss = build()
    theta = loss.theta(torch.tensor([0.2]), torch.tensor([-0.1]), torch.tensor([0.3]))
    assert transformed_grid_loss(theta, theta) == 0
    shifted = loss.theta(torch.tensor([0.5]), torch.tensor([-0.1]), torch.tensor([0.3]))
    assert transformed_grid_loss(shifted, theta) == pytest.approx(0.09, rel=1e-5)


def test_static_clip_identity_patch_zero_and_known_shift_positive():
    torch.manual_seed(0)
    loss = build()
    last = loss.transform_net[-1]
    torch.nn.init.zeros_(last.weight)  # the predictor says: the centred, unrotated patch
    torch.nn.init.zeros_(last.bias)
    feats = torch.randn(2, 4, 1, 12, 12).expand(2, 4, 5, 12, 12)  # a clip that does not move
    terms = loss.loss_terms(feats, centred(loss, 2))
    assert terms['cycle'] == 0 and terms['skip'] == 0
    shifted = loss.loss_terms(feats, centred(loss, 2, tx=0.5))
    assert shifted['cycle'] > 0.2 and shifted['skip'] > 0.2


def test_inlier_counts_affinity_inside_the_predicted_region():
    torch.manual_seed(0)
    loss = build(temperature=0.01)
    frame = torch.nn.functional.normalize(torch.randn(2, 8, 12, 12), dim=1)
    patch = loss.crop(frame, centred(loss, 2))  # 4x4 patch on frame positions
    _, affinity = loss.track(patch, frame)
    assert (loss.inlier(affinity, centred(loss, 2)) > 0.95).all()
    assert (loss.inlier(affinity, centred(loss, 2, tx=0.7)) < 0.05).all()


def test_patch_is_chosen_where_the_clip_moves():
    torch.manual_seed(0)
    loss = build(top_k=1, jitter=0.0, max_angle=0.0, motion_gap=2)
    clips = torch.zeros(2, 3, 5, 36, 36)
    clips[:, :, 4, :8, 24:] = 1.0  # motion in the top-right corner only
    theta = loss.sample_theta(clips)
    assert (theta[:, 0, 2] > 0.4).all() and (theta[:, 1, 2] < -0.4).all()
    assert torch.allclose(theta[:, 0, 0], torch.full((2,), 1 / 3))


def test_bad_sizes_are_named():
    loss = build()
    with pytest.raises(ValueError, match='feat_size'):
        loss.loss_terms(torch.randn(1, 4, 5, 10, 10), centred(loss, 1))
    with pytest.raises(ValueError, match='before the target'):
        build(frame_gap=3).loss_terms(torch.randn(1, 4, 5, 12, 12), centred(loss, 1))
