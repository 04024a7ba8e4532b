"""C3D (Tran et al., ICCV 2015): eight 3x3x3 convolutions and two fully connected layers."""
from functools import partial
from typing import List, Optional, Sequence, Tuple

from torch import Tensor, nn

from vidreg.models.layers import adapt_input_conv
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['C3D']

# (stage, [(conv name, output channels as a multiple of base_channels)])
_LAYOUT = (('conv1', (('conv1a', 1),)), ('conv2', (('conv2a', 2),)),
           ('conv3', (('conv3a', 4), ('conv3b', 4))), ('conv4', (('conv4a', 8), ('conv4b', 8))),
           ('conv5', (('conv5a', 8), ('conv5b', 8))))
_SPORTS1M_INPUT = (16, 112, 112)


class _ConvBlock(nn.Module):
    """3x3x3 conv (``conv``), optional BatchNorm (``bn``), ReLU: MMAction2's ConvModule names."""

    def __init__(self, in_channels: int, out_channels: int, norm: bool) -> None:
        super().__init__()
        self.conv = nn.Conv3d(in_channels, out_channels, 3, padding=1, bias=not norm)
        self.bn = nn.BatchNorm3d(out_channels) if norm else nn.Identity()
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """(B, D_in, T, H, W) -> (B, D, T, H, W)."""
        return self.relu(self.bn(self.conv(x)))


class _CheckClipSize(nn.Module):
    """Pass clips through unchanged after checking the size the fc layers were built for."""

    def __init__(self, input_size: Tuple[int, int, int]) -> None:
        super().__init__()
        self.input_size = tuple(input_size)

    def forward(self, x: Tensor) -> Tensor:
        """(B, C, T, H, W) -> the same tensor."""
        if tuple(x.shape[2:]) != self.input_size:
            raise ValueError(
                f'C3D with fc layers takes clips of T x H x W = {self.input_size} (fc6 is built '
                f'for that size), got {tuple(x.shape[2:])}. Feed clips of that size '
                f'(16x112x112 for Sports-1M weights), set input_size, or use '
                f'fc_channels=None and pool the conv5 features.')
        return x


def _pooled_size(size: int, stride: int, pad: int) -> int:
    """Output length of a kernel-2 max pool with ceil_mode=True (PyTorch's rule)."""
    out = -(-(size + 2 * pad - 2) // stride) + 1
    return out - 1 if (out - 1) * stride >= size + pad else out


@MODELS.register_module()
class C3D(BaseBackbone):
    """C3D: eight 3x3x3 convolutions, five max pools, then fc6 and fc7.

    Layer names and shapes are those of MMAction2's C3D (``conv1a.conv.weight`` ...
    ``fc7.bias``; ``convXY.bn`` in the BatchNorm variant), so its
    ``c3d_sports1m_pretrain`` checkpoint loads as is; the Sports-1M PyTorch port
    (``conv1a.weight`` ... ``fc7.bias``) loads after ``tools/convert_weights.py
    --from c3d-sports1m``. Widths 64, 128, 256, 256, 512, 512, 512, 512 (at
    ``base_channels=64``); pool1 is (1, 2, 2), pools 2-5 (2, 2, 2), pool5 pads H and
    W by 1. Pools round up (``ceil_mode``, as Caffe's C3D did): identical at
    16x112x112, and shorter clips (T >= 1) pass the conv part.

    Stages (``out_stages``) for input (B, C, T, H, W), w = ``base_channels``, sizes
    rounded up: ``conv1`` (B, w, T, H/2, W/2); ``conv2`` (B, 2w, T/2, H/4, W/4);
    ``conv3`` (B, 4w, T/4, H/8, W/8); ``conv4`` (B, 8w, T/8, H/16, W/16); ``conv5``
    (B, 8w, T/16, H/32 + 1, W/32 + 1) (1x4x4 at 16x112x112); ``fc`` (B, fc_channels,
    1, 1, 1), present when ``fc_channels`` is set (fc6, ReLU, dropout, fc7, ReLU, dropout).

    Expected input: BGR in 0-255 with a per-channel mean subtracted and no std. The
    Sports-1M weights were trained with the Caffe mean (about 90.25, 97.66, 101.41 BGR,
    the port's figure); MMAction2's ``c3d_sports1m_pretrain`` fine-tunes with
    (104, 117, 128) BGR, std 1. Set it in ``VideoDataPreprocessor(mean=...,
    std=None, channel_order='bgr')``.

    Args:
        in_channels: Input channels C: 3 for RGB (BGR order for C3D's weights), 2 for
            optical flow fields ``(B, 2, T, H, W)``. With C != 3, ``conv1a`` takes C
            channels and a pretrained colour ``conv1a`` is averaged over colour and
            replicated C times when loaded (:func:`vidreg.models.layers.adapt_input_conv`).
        base_channels: Width of conv1a (64 in C3D).
        norm: Add BatchNorm after every convolution (conv biases dropped).
        fc_channels: Width of fc6 and fc7 (4096 in C3D). None ends at pool5: D = 8w,
            features (B, D, T', H', W') for a pooling temporal module (any clip size).
        input_size: (T, H, W) the fc layers are built for; fc6 takes
            8w * T' * H' * W' inputs. Sports-1M weights need (16, 112, 112).
        dropout: Dropout after fc6 and fc7.
        pretrained: None or a local checkpoint path (vidreg/MMAction2 layout, or a file
            converted by ``tools/convert_weights.py``). Loaded by :meth:`init_weights`.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped
            (``'backbone.'`` for an MMAction2 recognizer checkpoint).
        frozen_stages: -1 nothing; k freezes stages 0..k (``conv1`` .. ``fc``).
        norm_eval: Keep all BatchNorms in eval mode while training.
        out_stages: Return ``{name: features}`` for these stages (shapes above).
    """

    def __init__(self, *, in_channels: int = 3, base_channels: int = 64, norm: bool = False,
                 fc_channels: Optional[int] = 4096,
                 input_size: Tuple[int, int, int] = _SPORTS1M_INPUT, dropout: float = 0.5,
                 pretrained: Optional[str] = None, pretrained_prefix: Optional[str] = None,
                 frozen_stages: int = -1, norm_eval: bool = False,
                 out_stages: Optional[Sequence[str]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, out_stages=out_stages)
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        self.in_channels = in_channels
        width = in_channels  # input width of the next convolution
        for stage, convs in _LAYOUT:
            for name, multiple in convs:
                self.add_module(name, _ConvBlock(width, base_channels * multiple, norm))
                width = base_channels * multiple
            index = stage[-1]
            if stage == 'conv1':
                pool = nn.MaxPool3d((1, 2, 2), stride=(1, 2, 2), ceil_mode=True)
            elif stage == 'conv5':
                pool = nn.MaxPool3d(2, stride=2, padding=(0, 1, 1), ceil_mode=True)
            else:
                pool = nn.MaxPool3d(2, stride=2, ceil_mode=True)
            self.add_module(f'pool{index}', pool)
        self.fc_channels = fc_channels
        if fc_channels is None:
            self.out_channels = width
        else:
            t, h, w = input_size
            t = _pooled_size(_pooled_size(_pooled_size(_pooled_size(t, 2, 0), 2, 0), 2, 0), 2, 0)
            for _ in range(4):
                h, w = _pooled_size(h, 2, 0), _pooled_size(w, 2, 0)
            h, w = _pooled_size(h, 2, 1), _pooled_size(w, 2, 1)
            self.check_size = _CheckClipSize(input_size)
            self.flatten = nn.Flatten(1)
            self.fc6 = nn.Linear(width * t * h * w, fc_channels)
            self.fc7 = nn.Linear(fc_channels, fc_channels)
            self.fc_relu = nn.ReLU(inplace=True)
            self.fc_dropout = nn.Dropout(dropout)
            self.unflatten = nn.Unflatten(1, (fc_channels, 1, 1, 1))
            self.out_channels = fc_channels
        for module in self.modules():  # the seed's initialisation (SPEC §3.3)
            if isinstance(module, nn.Conv3d):
                nn.init.kaiming_normal_(module.weight)
        self._setup_stages()

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        stages = [(stage, [getattr(self, name) for name, _ in convs]
                   + [getattr(self, f'pool{stage[-1]}')]) for stage, convs in _LAYOUT]
        if self.fc_channels is not None:
            stages[0][1].insert(0, self.check_size)
            stages.append(('fc', [self.flatten, self.fc6, self.fc_relu, self.fc_dropout,
                                  self.fc7, self.fc_relu, self.fc_dropout, self.unflatten]))
        return stages

    def init_weights(self) -> None:
        """Load ``pretrained`` (if set), a colour ``conv1a`` adapted to ``in_channels``."""
        if self.pretrained is not None:
            load_pretrained(self, self.pretrained, prefix=self.pretrained_prefix,
                            convert=partial(adapt_input_conv, key='conv1a.conv.weight',
                                            in_channels=self.in_channels))

    def forward(self, x: Tensor) -> StageOutput:
        """Extract clip features.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels`` (RGB: BGR minus the mean,
                see the class docstring).

        Returns:
            fc7 features (B, D=fc_channels, 1, 1, 1), or pool5 features
            (B, D=8w, T', H', W') without fc layers, or ``{name: features}`` for
            ``out_stages``.
        """
        return self.forward_stages(x)
