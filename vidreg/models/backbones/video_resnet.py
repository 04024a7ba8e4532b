"""R3D, MC3 and R(2+1)D (Tran et al., CVPR 2018) with torchvision's parameter names and shapes."""
from functools import partial
from typing import List, Literal, Optional, Sequence, Tuple

from torch import Tensor, nn
from torchvision.models.video import MC3_18_Weights, R2Plus1D_18_Weights, R3D_18_Weights
from torchvision.ops import StochasticDepth

from vidreg.models.layers import adapt_input_conv
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['VideoResNet']

Arch = Literal['r3d', 'mc3', 'r2plus1d']
_BLOCKS = {18: (2, 2, 2, 2), 34: (3, 4, 6, 3)}
_R2PLUS1D_STEM_MID = 45  # intermediate channels of the (2+1)D stem at base width 64


def _full_conv(in_channels: int, out_channels: int, mid_channels: int, stride: int) -> nn.Module:
    """3x3x3 convolution (R3D); ``mid_channels`` unused."""
    return nn.Conv3d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


def _spatial_conv(in_channels: int, out_channels: int, mid_channels: int,
                  stride: int) -> nn.Module:
    """1x3x3 convolution, spatial stride only (the 2D layers of MC3); ``mid_channels`` unused."""
    return nn.Conv3d(in_channels, out_channels, (1, 3, 3), stride=(1, stride, stride),
                     padding=(0, 1, 1), bias=False)


def _factorised_conv(in_channels: int, out_channels: int, mid_channels: int,
                     stride: int) -> nn.Module:
    """(2+1)D: 1x3x3 spatial conv -> BN -> ReLU -> 3x1x1 temporal conv (keys 0, 1, 3)."""
    return nn.Sequential(
        nn.Conv3d(in_channels, mid_channels, (1, 3, 3), stride=(1, stride, stride),
                  padding=(0, 1, 1), bias=False),
        nn.BatchNorm3d(mid_channels), nn.ReLU(inplace=True),
        nn.Conv3d(mid_channels, out_channels, (3, 1, 1), stride=(stride, 1, 1),
                  padding=(1, 0, 0), bias=False))


class _BasicBlock(nn.Module):
    """Two convolutions (``conv1`` = conv, BN, ReLU; ``conv2`` = conv, BN) plus the shortcut;
    in training the residual branch of a clip is dropped with probability ``drop_path``."""

    def __init__(self, in_channels: int, channels: int, make_conv, stride: int,
                 temporal_stride: int, drop_path: float = 0.0) -> None:
        super().__init__()
        self.drop_path = StochasticDepth(drop_path, 'row') if drop_path > 0 else nn.Identity()
        # (2+1)D keeps the parameter count of a 3x3x3 conv (paper §3.5); one value for both convs.
        mid = (in_channels * channels * 27) // (in_channels * 9 + 3 * channels)
        self.conv1 = nn.Sequential(make_conv(in_channels, channels, mid, stride),
                                   nn.BatchNorm3d(channels), nn.ReLU(inplace=True))
        self.conv2 = nn.Sequential(make_conv(channels, channels, mid, 1), nn.BatchNorm3d(channels))
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or in_channels != channels:
            self.downsample = nn.Sequential(
                nn.Conv3d(in_channels, channels, 1, stride=(temporal_stride, stride, stride),
                          bias=False),
                nn.BatchNorm3d(channels))

    def forward(self, x: Tensor) -> Tensor:
        """(B, D_in, T, H, W) -> (B, D, T/st, H/s, W/s)."""
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.drop_path(self.conv2(self.conv1(x))) + identity)


@MODELS.register_module()
class VideoResNet(BaseBackbone):
    """R3D, MC3 or R(2+1)D ResNet-18/34, laid out as torchvision's ``VideoResNet``.

    Parameter names and shapes equal torchvision's ``r3d_18`` / ``mc3_18`` /
    ``r2plus1d_18`` (and its ``VideoResNet`` built with blocks (3, 4, 6, 3) for depth
    34), without ``fc``: a torchvision state dict loads with no missing keys (its
    ``fc.*`` are ignored) and the features equal torchvision's before its pooling.

    - ``r3d``: 3x3x3 convolutions everywhere; stem 3x7x7, stride (1, 2, 2).
    - ``mc3``: like r3d in the stem and ``layer1``; ``layer2``-``layer4`` are 2D
      (1x3x3, no temporal stride).
    - ``r2plus1d``: every 3x3x3 conv factorised into 1x3x3 then 3x1x1 with an
      intermediate width that keeps its parameter count; the stem is 1x7x7 (45
      channels at base width 64) then 3x1x1.

    Stages (``out_stages``) for input (B, C, T, H, W), w = ``base_channels``:
    ``stem`` (B, w, T, H/2, W/2); ``layer1`` (B, w, T, H/2, W/2); ``layer2``
    (B, 2w, T/2, H/4, W/4); ``layer3`` (B, 4w, T/4, H/8, W/8); ``layer4``
    (B, 8w, T/8, H/16, W/16) (sizes rounded up; for ``mc3`` T is kept in every stage).
    Expected input: RGB in [0, 1] normalised with the Kinetics-400 mean
    (0.43216, 0.394666, 0.37645) and std (0.22803, 0.22145, 0.216989), i.e. in 0-255
    units mean (110.2, 100.6, 96.0), std (58.1, 56.5, 55.3).

    Args:
        arch: ``'r3d'``, ``'mc3'`` or ``'r2plus1d'``.
        depth: 18 (blocks 2, 2, 2, 2) or 34 (3, 4, 6, 3).
        in_channels: Input channels C: 3 for RGB, 2 for optical flow fields
            ``(B, 2, T, H, W)`` (x, y over T fields). With C != 3 the stem's first
            convolution (``stem.0``: 3x7x7, or R(2+1)D's 1x7x7; the (2+1)D stem's
            temporal conv is unchanged) takes C channels, and a pretrained RGB one is
            averaged over colour and replicated C times when loaded
            (:func:`vidreg.models.layers.adapt_input_conv`).
        base_channels: Width of the stem and ``layer1``; D = 8 * base_channels
            (512 at the default 64, the only width torchvision weights fit).
        pretrained: None, a local checkpoint path or a torchvision weights name
            (``'R2Plus1D_18_Weights.KINETICS400_V1'``, or just ``'KINETICS400_V1'``
            for depth 18) read only from the local torch cache. Loaded by
            :meth:`init_weights`, which mmengine's Runner calls before training from
            scratch (not when resuming).
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.
        frozen_stages: -1 nothing; k freezes ``stem`` and ``layer1`` .. ``layer<k>``.
        norm_eval: Keep all BatchNorms in eval mode while training.
        out_stages: Return ``{name: features}`` for these stages (shapes above).
        drop_path: Stochastic depth (drop-path) rate of the last block, in [0, 1): in
            training each block drops its residual branch per clip with a rate that grows
            linearly from 0 (first block) to ``drop_path`` (torchvision's
            ``StochasticDepth``); no parameters, so checkpoints are unchanged.
    """

    def __init__(self, *, arch: Arch = 'r2plus1d', depth: Literal[18, 34] = 18,
                 in_channels: int = 3, base_channels: int = 64, pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None, frozen_stages: int = -1,
                 norm_eval: bool = False, out_stages: Optional[Sequence[str]] = None,
                 drop_path: float = 0.0) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, out_stages=out_stages)
        if arch not in ('r3d', 'mc3', 'r2plus1d'):
            raise ValueError(f"arch must be 'r3d', 'mc3' or 'r2plus1d', got {arch!r}")
        if depth not in _BLOCKS:
            raise ValueError(f'depth must be 18 or 34, got {depth!r}')
        if not 0 <= drop_path < 1:
            raise ValueError(f'drop_path must be in [0, 1), got {drop_path!r}')
        self.arch, self.depth, self.in_channels = arch, depth, in_channels
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        w = base_channels
        if arch == 'r2plus1d':
            mid = _R2PLUS1D_STEM_MID * w // 64
            self.stem = nn.Sequential(
                nn.Conv3d(in_channels, mid, (1, 7, 7), stride=(1, 2, 2), padding=(0, 3, 3),
                          bias=False),
                nn.BatchNorm3d(mid), nn.ReLU(inplace=True),
                nn.Conv3d(mid, w, (3, 1, 1), padding=(1, 0, 0), bias=False),
                nn.BatchNorm3d(w), nn.ReLU(inplace=True))
        else:
            self.stem = nn.Sequential(
                nn.Conv3d(in_channels, w, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3),
                          bias=False),
                nn.BatchNorm3d(w), nn.ReLU(inplace=True))
        width = w  # input width of the next block
        num_blocks_total = sum(_BLOCKS[depth])
        rates = iter(drop_path * i / max(num_blocks_total - 1, 1) for i in range(num_blocks_total))
        for index, num_blocks in enumerate(_BLOCKS[depth]):
            if arch == 'r2plus1d':
                make_conv, temporal_stride = _factorised_conv, 2
            elif arch == 'mc3' and index > 0:
                make_conv, temporal_stride = _spatial_conv, 1
            else:
                make_conv, temporal_stride = _full_conv, 2
            channels, stride = w * 2 ** index, 1 if index == 0 else 2
            blocks = []
            for block in range(num_blocks):
                blocks.append(_BasicBlock(width, channels, make_conv,
                                          stride if block == 0 else 1, temporal_stride,
                                          next(rates)))
                width = channels
            self.add_module(f'layer{index + 1}', nn.Sequential(*blocks))
        self.out_channels = width
        for module in self.modules():  # torchvision's initialisation
            if isinstance(module, nn.Conv3d):
                nn.init.kaiming_normal_(module.weight, mode='fan_out', nonlinearity='relu')
        self._setup_stages()

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        return [('stem', [self.stem]), ('layer1', [self.layer1]), ('layer2', [self.layer2]),
                ('layer3', [self.layer3]), ('layer4', [self.layer4])]

    def init_weights(self) -> None:
        """Load ``pretrained`` (if set); torchvision's ``fc.*`` keys are ignored, and an RGB
        ``stem.0`` is adapted to ``in_channels``."""
        if self.pretrained is None:
            return
        weights_enum = None
        if self.depth == 18:
            weights_enum = (R3D_18_Weights if self.arch == 'r3d' else
                            MC3_18_Weights if self.arch == 'mc3' else R2Plus1D_18_Weights)
        load_pretrained(self, self.pretrained, prefix=self.pretrained_prefix,
                        weights_enum=weights_enum,
                        convert=partial(adapt_input_conv, key='stem.0.weight',
                                        in_channels=self.in_channels))

    def forward(self, x: Tensor) -> StageOutput:
        """Extract spatio-temporal features.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            ``layer4`` features (B, D, T/8, H/16, W/16) (T kept for ``mc3``), or
            ``{name: features}`` for ``out_stages`` (shapes in the class docstring).
        """
        return self.forward_stages(x)
