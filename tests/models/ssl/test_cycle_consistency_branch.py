"""Cycle-consistent tracking: the cycles close on the target patch, geometry and patch choice."""
import math

import pytest
import torch

from vidreg.models.ssl import CycleConsistencyBranch
from vidreg.models.ssl.cycle_consistency_branch import similarity, transformed_grid_loss


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


def _compose(first, then):
    """The map ``then o first`` of two (N, 2, 3) affine maps."""
    row = torch.tensor([[[0.0, 0.0, 1.0]]]).expand(first.shape[0], 1, 3)
    return (torch.cat([then, row], 1) @ torch.cat([first, row], 1))[:, :2]


def _swap_xy(theta):
    """The map with x and y exchanged (a transposed read-out), (N, 2, 3)."""
    swap = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]).expand(theta.shape[0], 2, 3)
    return _compose(_compose(swap, theta), swap)


def _moved(motion):
    """A frame that is the target moved by ``motion`` (N, 2, 3: frame point -> target point),
    the target patch, and the patch's map in the frame: true, negated and transposed."""
    torch.manual_seed(0)
    loss = build(in_channels=8, feat_size=(24, 24), temperature=0.05)
    target = torch.nn.functional.normalize(torch.randn(1, 8, 24, 24), dim=1)
    grid = torch.nn.functional.affine_grid(motion, (1, 8, 24, 24), align_corners=False)
    frame = torch.nn.functional.normalize(
        torch.nn.functional.grid_sample(target, grid, align_corners=False), dim=1)
    theta_gt = loss.theta(torch.tensor([0.1]), torch.tensor([-0.2]), torch.tensor([0.2]))
    inverse = torch.linalg.inv(torch.cat([motion, torch.tensor([[[0.0, 0.0, 1.0]]])], 1))
    back = torch.linalg.inv(inverse)[:, :2]
    thetas = dict(true=_compose(theta_gt, inverse[:, :2]), negated=_compose(theta_gt, back),
                  transposed=_swap_xy(_compose(theta_gt, inverse[:, :2])))
    return loss, loss.crop(target, theta_gt), frame, theta_gt, thetas


def _rotation(degrees):
    angle = torch.tensor(degrees * math.pi / 180)
    return torch.tensor([[[math.cos(angle), -math.sin(angle), 0.0],
                          [math.sin(angle), math.cos(angle), 0.0]]])


MOTIONS = {'shift 3 px right, 1 down': torch.tensor([[[1.0, 0.0, -0.25], [0.0, 1.0, -1 / 12]]]),
           'shift 2 px up': torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 1 / 6]]]),
           'rotation 20 degrees': _rotation(20)}


@pytest.mark.parametrize('motion', MOTIONS.values(), ids=MOTIONS.keys())
def test_each_term_is_least_at_the_true_map(motion):
    loss, patch, frame, theta_gt, thetas = _moved(motion)
    _, affinity = loss.track(patch, frame)  # the target patch matched against the frame
    sim = {name: 1 - similarity(affinity, theta, loss.feat_size) for name, theta in
           thetas.items()}
    assert sim['true'] < 0.8 and sim['true'] < sim['negated'] - 0.2, sim
    assert sim['true'] < sim['transposed'] - 0.2, sim
    # the cycle and skip terms compare the map that closes on the target with theta_gt:
    # mapping the frame's patch back through the motion closes exactly at the true map
    closing = {name: _compose(theta, motion) for name, theta in thetas.items()}
    grid = {name: float(transformed_grid_loss(theta, theta_gt)) for name, theta in
            closing.items()}
    assert grid['true'] < 1e-10 and grid['negated'] > 0.01 and grid['transposed'] > 0.01, grid


def test_similarity_is_the_warped_identity_mask_and_has_a_gradient_to_theta():
    loss, patch, frame, _, thetas = _moved(MOTIONS['shift 2 px up'])
    _, affinity = loss.track(patch, frame)
    theta = thetas['true'].clone().requires_grad_()
    # TimeCycle's construction: one one-hot image per frame position, warped by theta
    identity = torch.eye(24 * 24).reshape(1, 24 * 24, 24, 24)
    grid = torch.nn.functional.affine_grid(theta, (1, 1, 10, 10), align_corners=False)
    mask = torch.nn.functional.grid_sample(identity, grid, align_corners=False)
    expected = (mask * affinity).sum() / (mask.sum() + 1e-5)
    score = similarity(affinity, theta, loss.feat_size)
    torch.testing.assert_close(score[0], expected)
    offset = thetas['true'].clone()
    offset[:, 1, 2] += 2 / 24  # one position off in y: the gradient points back
    offset.requires_grad_()
    similarity(affinity, offset, loss.feat_size).sum().backward()
    assert offset.grad[0, 1, 2] < 0


def test_transform_network_is_timecycles_and_old_checkpoints_load():
    loss = build()
    convs = [m for m in loss.transform_net if isinstance(m, torch.nn.Conv2d)]
    assert [c.kernel_size for c in convs] == [(4, 4), (4, 4)]
    assert all(c.bias is None for c in convs)
    assert loss.transform_net[-1].bias.abs().sum() == 0
    assert float(loss.transform_net[-1].weight.std()) == pytest.approx(0.01, rel=0.2)
    old = {'transform_net.0.weight': torch.randn(128, 144, 3, 3),
           'transform_net.0.bias': torch.randn(128),
           'transform_net.2.weight': torch.randn(64, 128, 3, 3),
           'transform_net.2.bias': torch.randn(64),
           'transform_net.6.weight': torch.randn(3, 1024), 'transform_net.6.bias': torch.randn(3)}
    state = {**{k: v for k, v in loss.state_dict().items() if 'transform_net' not in k}, **old}
    loss.load_state_dict(state)
    assert torch.equal(loss.transform_net[0].bias, old['transform_net.0.bias'])
    with pytest.raises(ValueError, match='patch_size'):
        build(patch_size=5)


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
