"""TimeCycle-style cycle-consistent tracking of a patch through mid-level features (seed 003)."""
import math
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vidreg.registry import MODELS

from .base_ssl_branch import BaseSSLBranch, Trunk

__all__ = ['CycleConsistencyBranch', 'similarity', 'transformed_grid_loss']


def transformed_grid_loss(theta: Tensor, theta_gt: Tensor, grid_points: int = 20) -> Tensor:
    """TimeCycle's ``TransformedGridLoss``: how far two affine maps move a grid apart.

    Args:
        theta: Predicted affine maps, (N, 2, 3) (``F.affine_grid`` convention).
        theta_gt: Ground-truth maps, (N, 2, 3).
        grid_points: Points per side of the grid in [-1, 1]^2.

    Returns:
        Scalar: the mean over points and rows of the squared distance (x and y summed).
    """
    axis = torch.linspace(-1, 1, grid_points, device=theta.device, dtype=theta.dtype)
    points = torch.stack(torch.meshgrid(axis, axis, indexing='xy'), -1).reshape(-1, 2)  # (P, 2)
    homogeneous = torch.cat([points, torch.ones_like(points[:, :1])], 1)  # (P, 3)
    diff = homogeneous @ (theta - theta_gt).transpose(1, 2)  # (N, P, 2)
    return diff.pow(2).sum(-1).mean()


def similarity(affinity: Tensor, theta: Tensor, feat_size: Tuple[int, int]) -> Tensor:
    """TimeCycle's L_sim score (``WeakInlierCountPool``, normalised, no dilation).

    Patch position (i, j) (a p x p grid over the patch, ``F.affine_grid`` convention) goes
    to the frame point ``theta @ (x_j, y_i, 1)``; its bilinear weights on the H_s x W_s
    frame positions are TimeCycle's identity mask warped by ``theta`` (``grid_sample`` of
    one-hot images, zero outside the frame). The score is the affinity under that mask,
    over the mask's total: 1 when every patch position's affinity sits exactly where
    ``theta`` sends it, 0 when none does. Differentiable in ``theta`` and ``affinity``.

    Args:
        affinity: Softmax over frame positions of the patch's similarity to each,
            (N, H_s * W_s, p, p) (frame positions row-major).
        theta: The patch's maps in the frame, (N, 2, 3).
        feat_size: (H_s, W_s).

    Returns:
        Scores (N,) in [0, 1].
    """
    height, width = feat_size
    n, _, p, _ = affinity.shape
    grid = F.affine_grid(theta, (n, 1, p, p), align_corners=False).reshape(n, 1, p * p, 2)
    xs = (torch.arange(width, device=theta.device, dtype=theta.dtype) * 2 + 1) / width - 1
    ys = (torch.arange(height, device=theta.device, dtype=theta.dtype) * 2 + 1) / height - 1
    # bilinear (tent) weights of each mapped point on each frame row and column
    wx = (1 - (grid[..., 0] - xs[None, :, None]).abs() * (width / 2)).clamp_min(0)
    wy = (1 - (grid[..., 1] - ys[None, :, None]).abs() * (height / 2)).clamp_min(0)
    mask = (wy[:, :, None] * wx[:, None]).reshape(n, height * width, p * p)  # (N, HW, p * p)
    mask = mask / (mask.sum((1, 2), keepdim=True) + 1e-5)
    return (mask * affinity.flatten(2)).sum((1, 2))


def _transform_net(positions: int, legacy: bool = False) -> nn.Sequential:
    """Affinity (N, H_s * W_s, p, p) -> (tx, ty, angle) (N, 3): TimeCycle's network, or
    (``legacy``) the 3x3 one of checkpoints written before issue 24."""
    if legacy:
        return nn.Sequential(
            nn.Conv2d(positions, 128, 3, padding=1), nn.LeakyReLU(0.1),
            nn.Conv2d(128, 64, 3, padding=1), nn.LeakyReLU(0.1),
            nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(64 * 16, 3))
    net = nn.Sequential(
        nn.Conv2d(positions, 128, 4, bias=False), nn.LeakyReLU(0.1),
        nn.Conv2d(128, 64, 4, bias=False), nn.LeakyReLU(0.1),
        nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(64 * 16, 3))
    for conv in (net[0], net[2]):
        nn.init.kaiming_normal_(conv.weight, mode='fan_out', nonlinearity='relu')
    nn.init.normal_(net[6].weight, std=0.01)
    nn.init.zeros_(net[6].bias)
    return net


@MODELS.register_module()
class CycleConsistencyBranch(BaseSSLBranch):
    """Track a patch backward then forward through time; the cycles must close (TimeCycle).

    Features of ``stage`` (N, D, T_s, H_s, W_s) at frames ``0, g, .., (L-1)g`` (L =
    ``video_len``, g = ``frame_gap``, in frames of the stage) and at ``target_index``
    (default the last) are projected (1x1x1 conv D -> ``proj_channels``, ReLU) and
    L2-normalised over channels. A patch (``patch_scale`` of the frame, rotated) is cut
    from the target frame's features with ``F.affine_grid``/``F.grid_sample``
    at the ground-truth map ``theta_gt``; its affinity to a frame (softmax over the
    H_s x W_s frame positions of dot products / ``temperature``) feeds a small network
    predicting (tx, ty, angle), hence the affine map of the next crop. For each cycle
    length c = 1..L the patch is tracked backward through the last c frames, forward
    again, then back to the target frame: the map that closes the cycle is compared with
    ``theta_gt`` (:func:`transformed_grid_loss`), which the seed got wrong (SPEC §4.6).
    Skip prediction tracks the patch to each frame and straight back. The similarity term
    L_sim (TimeCycle's ``WeakInlierCountPool``) matches the target patch directly against
    each tracked frame and counts, per patch position, the affinity at the frame position
    the predicted map sends it to (:func:`similarity`: a warped identity mask,
    differentiable in the map). Loss (TimeCycle weighting, original 0.2 kept)::

        lamda * cycle_factor * mean_c L(c) + mean_i (1 - sim(i)) + lamda * mean_i L_skip(i)

    (``1 - sim`` is TimeCycle's ``-inlier`` shifted by a constant, so the loss is >= 0.)
    The transform network is TimeCycle's: two 4x4 convolutions without bias (LeakyReLU
    0.1) over the patch's affinity, then a Linear initialised N(0, 0.01) (zero bias)
    predicting (tx, ty, angle); an average pool to 4x4 between them serves patch sides
    other than TimeCycle's 10 (the identity at 10).

    The patch centre is chosen by motion: the absolute difference of the input's last
    frame and the one ``motion_gap`` frames before it, averaged in ``grid_size`` x
    ``grid_size`` cells, scores every 3x3-cell window; one of the ``top_k`` highest is
    drawn, its centre jittered by up to ``jitter`` (frame coordinates in [-1, 1];
    TimeCycle: 1/12 of the [0, 1] range of window positions, i.e. 1/9) and clamped so the
    patch stays inside the frame, and rotated by up to ``max_angle`` degrees. Differences
    from the seed: the patch is cropped from the target frame's features, not run through
    the network as an 80x80 image (one backbone pass, any backbone); the motion pair lies
    inside the clip (the seed looked 4 frames past it).

    Args:
        in_channels: D of ``stage`` (1024 for the seed's ResNet-50 ``layer3``).
        feat_size: (H_s, W_s) of ``stage`` at the training input size (30, 30 for 240
            px in the seed); the transform network reads H_s * W_s affinity channels.
        stage: See :class:`BaseSSLBranch` (a mid-level stage, 'layer3' = res4).
        video_len: L, frames tracked (cycles of length 1..L).
        frame_gap: g, spacing of the tracked frames in stage frames.
        target_index: Stage frame of the target (negative counts from the end).
        proj_channels: Width of the projected features (512).
        patch_scale: Patch side over frame side (1/3 = 80/240).
        patch_size: Positions sampled along a patch side (TimeCycle: 10), >= 7 for the
            transform network's two 4x4 convolutions.
        temperature: Affinity temperature T (512 ** -0.5: dot products times sqrt(512)).
        grid_size: Cells per side for the motion score (9).
        top_k: The patch is one of the top_k windows by motion (10).
        jitter: Largest shift of the patch centre in frame coordinates [-1, 1] (1/9).
        max_angle: Largest rotation of the patch, in degrees (45).
        motion_gap: Input frames between the two images scored for motion.
        lamda: Weight of the transform losses (0.1).
        cycle_factor: Extra factor of the cycle term (TimeCycle's 0.2).
        loss_weight: See :class:`BaseSSLBranch` (seed: 25).
    """

    def __init__(self, *, in_channels: int, feat_size: Sequence[int],
                 stage: Optional[str] = 'layer3', video_len: int = 3, frame_gap: int = 4,
                 target_index: int = -1, proj_channels: int = 512, patch_scale: float = 1 / 3,
                 patch_size: int = 10, temperature: float = 512 ** -0.5,
                 grid_size: int = 9, top_k: int = 10, jitter: float = 1 / 9,
                 max_angle: float = 45.0, motion_gap: int = 4, lamda: float = 0.1,
                 cycle_factor: float = 0.2, loss_weight: float = 25.0) -> None:
        super().__init__(stage=stage, loss_weight=loss_weight)
        if video_len < 1 or frame_gap < 1 or grid_size < 3:
            raise ValueError(f'video_len and frame_gap must be >= 1 and grid_size >= 3, got '
                             f'{video_len}, {frame_gap}, {grid_size}')
        self.feat_size = (int(feat_size[0]), int(feat_size[1]))
        self.video_len, self.frame_gap, self.target_index = video_len, frame_gap, target_index
        self.patch_scale, self.temperature = patch_scale, temperature
        if patch_size < 7:
            raise ValueError(f'CycleConsistencyBranch: patch_size must be >= 7 (the transform '
                             f'network has two 4x4 convolutions), got {patch_size}')
        self.patch_size = patch_size
        self.grid_size, self.top_k, self.jitter = grid_size, top_k, jitter
        self.max_angle, self.motion_gap = max_angle, motion_gap
        self.lamda, self.cycle_factor = lamda, cycle_factor
        self.proj = nn.Sequential(nn.Conv3d(in_channels, proj_channels, 1, bias=False),
                                  nn.ReLU(inplace=True))
        self.transform_net = _transform_net(self.feat_size[0] * self.feat_size[1])

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:
        """Load checkpoints written before issue 24 into the transform network they had."""
        if f'{prefix}transform_net.0.bias' in state_dict:  # 3x3 convolutions with bias
            self.transform_net = _transform_net(self.transform_net[0].in_channels, legacy=True)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    # ---- geometry --------------------------------------------------------------------------
    def theta(self, tx: Tensor, ty: Tensor, angle: Tensor) -> Tensor:
        """Affine maps (N, 2, 3) of a patch of side ``patch_scale`` centred at (tx, ty) (N,)
        and rotated by ``angle`` (N,) radians (normalised frame coordinates)."""
        cos, sin, s = torch.cos(angle), torch.sin(angle), self.patch_scale
        return torch.stack([torch.stack([s * cos, -s * sin, tx], -1),
                            torch.stack([s * sin, s * cos, ty], -1)], 1)

    def crop(self, frame: Tensor, theta: Tensor) -> Tensor:
        """Patch features (N, P, p, p) of frame features (N, P, H_s, W_s) at maps (N, 2, 3)."""
        size = (frame.shape[0], frame.shape[1], self.patch_size, self.patch_size)
        grid = F.affine_grid(theta, size, align_corners=False)
        return F.normalize(F.grid_sample(frame, grid, align_corners=False), dim=1)

    def track(self, patch: Tensor, frame: Tensor) -> Tuple[Tensor, Tensor]:
        """Locate a patch (N, P, p, p) in a frame (N, P, H_s, W_s).

        Returns:
            The predicted map (N, 2, 3) and the affinity (N, H_s * W_s, p, p) (softmax
            over frame positions).
        """
        n, channels, height, width = frame.shape
        if (height, width) != self.feat_size:
            raise ValueError(f'CycleConsistencyBranch: stage {self.stage!r} features are '
                             f'{height}x{width}, feat_size is {self.feat_size}; set feat_size '
                             f'to the stage size at the training input size.')
        logits = torch.einsum('ncq,nck->nkq', patch.flatten(2), frame.flatten(2))
        affinity = (logits / self.temperature).softmax(1)  # (N, H_s * W_s, p * p)
        affinity = affinity.reshape(n, height * width, self.patch_size, self.patch_size)
        tx, ty, angle = self.transform_net(affinity).unbind(1)
        return self.theta(tx, ty, angle), affinity

    def sample_theta(self, clips: Tensor) -> Tensor:
        """Ground-truth maps (N, 2, 3): a high-motion window of clips (N, C, T, H, W)."""
        last = clips.shape[2] - 1
        diff = (clips[:, :, last] - clips[:, :, max(0, last - self.motion_gap)]).abs().sum(1)
        cells = F.adaptive_avg_pool2d(diff[:, None].float(), self.grid_size)  # (N, 1, G, G)
        windows = F.avg_pool2d(cells, 3, stride=1).flatten(1)  # (N, (G - 2) ** 2)
        top = windows.topk(min(self.top_k, windows.shape[1]), dim=1).indices  # (N, k)
        pick = top.gather(1, torch.randint(top.shape[1], (top.shape[0], 1), device=top.device))
        side = self.grid_size - 2
        row, col = (pick[:, 0] // side).to(clips.dtype), (pick[:, 0] % side).to(clips.dtype)
        n = clips.shape[0]

        def uniform(bound: float) -> Tensor:
            return (torch.rand(n, device=clips.device, dtype=clips.dtype) * 2 - 1) * bound

        bound = 1 - self.patch_scale  # the patch stays inside the frame
        tx = (2 * (col + 1) + 1) / self.grid_size - 1 + uniform(self.jitter)
        ty = (2 * (row + 1) + 1) / self.grid_size - 1 + uniform(self.jitter)
        tx, ty = tx.clamp(-bound, bound), ty.clamp(-bound, bound)
        return self.theta(tx, ty, uniform(math.radians(self.max_angle)))

    # ---- the loss --------------------------------------------------------------------------
    def frames(self, feats: Tensor) -> Tuple[Tensor, Tensor]:
        """Projected, normalised tracked frames (N, L, P, H_s, W_s) and target (N, P, H_s, W_s)
        of stage features (N, D, T_s, H_s, W_s)."""
        num_frames = feats.shape[2]
        target = self.target_index % num_frames
        tracked = [i * self.frame_gap for i in range(self.video_len)]
        if tracked[-1] >= target:
            raise ValueError(f'CycleConsistencyBranch: frames {tracked} must come before the '
                             f'target {target} of the {num_frames} frames of stage {self.stage!r}; '
                             f'lower video_len/frame_gap or feed longer clips.')
        index = torch.tensor(tracked + [target], device=feats.device)
        projected = F.normalize(self.proj(feats.index_select(2, index)), dim=1)
        projected = projected.transpose(1, 2)  # (N, L + 1, P, H_s, W_s)
        return projected[:, :-1], projected[:, -1]

    def loss_terms(self, feats: Tensor, theta_gt: Tensor) -> Dict[str, Tensor]:
        """The three unweighted terms for stage features (N, D, T_s, H_s, W_s) and the
        target patch's maps (N, 2, 3): ``cycle`` (mean over cycle lengths), ``sim`` (mean
        over tracked frames of 1 - :func:`similarity` of the target patch there) and ``skip``."""
        frames, target = self.frames(feats)
        length = self.video_len
        patch = self.crop(target, theta_gt)
        back = [None] * length  # back[i]: the patch tracked backward to tracked frame i
        current = patch
        for i in reversed(range(length)):
            theta, _ = self.track(current, frames[:, i])
            current = back[i] = self.crop(frames[:, i], theta)
        cycle = []
        for c in range(1, length + 1):
            current = back[length - c]
            for j in range(length - c + 1, length):
                theta, _ = self.track(current, frames[:, j])
                current = self.crop(frames[:, j], theta)
            theta_close, _ = self.track(current, target)  # the map closing the cycle
            cycle.append(transformed_grid_loss(theta_close, theta_gt))
        sim, skip = [], []
        for i in range(length):
            theta, affinity = self.track(patch, frames[:, i])  # the target patch in frame i
            sim.append(1 - similarity(affinity, theta, self.feat_size).mean())
            theta_back, _ = self.track(self.crop(frames[:, i], theta), target)
            skip.append(transformed_grid_loss(theta_back, theta_gt))
        return dict(cycle=torch.stack(cycle).mean(), sim=torch.stack(sim).mean(),
                    skip=torch.stack(skip).mean())

    def forward(self, feats: Tensor, trunk: Trunk, clips: Tensor) -> Tensor:
        """Unweighted tracking loss (a scalar).

        Args:
            feats: Output of ``stage``, (N, D, T_s, H_s, W_s).
            trunk: Unused (tracking reads mid-level features only).
            clips: The normalised input clips (N, C, T, H, W), for the motion-chosen patch.
        """
        with torch.no_grad():
            theta_gt = self.sample_theta(clips)
        terms = self.loss_terms(feats, theta_gt)
        return (self.lamda * self.cycle_factor * terms['cycle'] + terms['sim']
                + self.lamda * terms['skip'])
