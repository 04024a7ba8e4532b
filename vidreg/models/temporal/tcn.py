"""Temporal convolutional network: causal dilated residual 1D convolutions (ResNet-TCN)."""
from typing import Literal, Optional

import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.parametrizations import weight_norm as apply_weight_norm

from vidreg.models.layers import TemporalReduction
from vidreg.registry import MODELS

__all__ = ['TCN']


def _dilated_conv(in_channels: int, out_channels: int, *, kernel_size: int, dilation: int,
                  weight_norm: bool) -> nn.Conv1d:
    conv = nn.Conv1d(in_channels, out_channels, kernel_size, dilation=dilation)
    # N(0, 0.01) set before weight norm, so that it is the effective initial weight
    # (weight norm then starts with g = ||v||). Setting it afterwards, as the seed
    # does, is overwritten by the norm's recomputation and has no effect.
    nn.init.normal_(conv.weight, 0.0, 0.01)
    return apply_weight_norm(conv) if weight_norm else conv


class _TemporalBlock(nn.Module):
    """Two causal dilated convolutions with ReLU and dropout, plus a residual path.

    ``conv -> chomp -> ReLU -> dropout`` twice, then ``ReLU(out + residual)``;
    the residual is a 1x1 convolution when the channel count changes. Padding
    only the past side by (k - 1) * dilation equals the seed's padding on both
    sides followed by chomping (k - 1) * dilation steps off the end.
    """

    def __init__(self, in_channels: int, out_channels: int, *, kernel_size: int, dilation: int,
                 dropout: float, weight_norm: bool) -> None:
        super().__init__()
        self.left_pad = (kernel_size - 1) * dilation
        conv_args = dict(kernel_size=kernel_size, dilation=dilation, weight_norm=weight_norm)
        self.conv1 = _dilated_conv(in_channels, out_channels, **conv_args)
        self.conv2 = _dilated_conv(out_channels, out_channels, **conv_args)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout)
        self.downsample = None
        if in_channels != out_channels:
            self.downsample = nn.Conv1d(in_channels, out_channels, 1)
            nn.init.normal_(self.downsample.weight, 0.0, 0.01)

    def forward(self, x: Tensor) -> Tensor:
        """Apply the block causally.

        Args:
            x: Step features, (B, C_in, T).

        Returns:
            Step features, (B, C_out, T); step t depends on input steps 0..t only.
        """
        out = self.dropout(self.relu(self.conv1(F.pad(x, (self.left_pad, 0)))))  # (B, C, T)
        out = self.dropout(self.relu(self.conv2(F.pad(out, (self.left_pad, 0)))))  # (B, C, T)
        residual = x if self.downsample is None else self.downsample(x)
        return self.relu(out + residual)


@MODELS.register_module()
class TCN(nn.Module):
    """Causal dilated residual TCN over per-frame features (Bai et al. 2018; ResNet-TCN).

    Features are averaged over space, optionally projected per frame by a 1x1
    convolution (the seed's ``fc`` 512 -> 32, no activation), passed through
    ``num_levels`` residual blocks with dilation 2**i, and reduced over time.
    Seed values: ``proj_channels=32``, 8 levels of 128 channels, kernel 7,
    dropout 0.1; receptive field 1 + 2 * (kernel_size - 1) * (2**num_levels - 1).

    Args:
        in_channels: D, injected by the Recognizer.
        proj_channels: Per-frame projection size before the TCN; None feeds D
            channels directly.
        num_levels: Number of residual blocks; block i has dilation 2**i.
        hidden_channels: Channels of every block; E = hidden_channels.
        kernel_size: Temporal kernel size of every convolution.
        dropout: Dropout probability after each ReLU inside the blocks.
        weight_norm: Weight-normalise the dilated convolutions
            (``torch.nn.utils.parametrizations.weight_norm``).
        reduction: How the (B, E, T) sequence becomes (B, E); see
            :class:`~vidreg.models.layers.TemporalReduction`. The seed's README
            says ``'last'``; its code uses ``'sum'``.
    """

    def __init__(self, *, in_channels: int, proj_channels: Optional[int] = None,
                 num_levels: int = 8, hidden_channels: int = 128, kernel_size: int = 7,
                 dropout: float = 0.1, weight_norm: bool = True,
                 reduction: Literal['last', 'mean', 'sum', 'attention'] = 'last') -> None:
        super().__init__()
        if num_levels < 1 or kernel_size < 1:
            raise ValueError(f'num_levels and kernel_size must be >= 1, got {num_levels}, '
                             f'{kernel_size}')
        self.proj = None
        channels = in_channels
        if proj_channels is not None:
            self.proj = nn.Conv1d(in_channels, proj_channels, 1)
            channels = proj_channels
        blocks = []
        for level in range(num_levels):
            blocks.append(_TemporalBlock(channels, hidden_channels, kernel_size=kernel_size,
                                         dilation=2 ** level, dropout=dropout,
                                         weight_norm=weight_norm))
            channels = hidden_channels
        self.blocks = nn.Sequential(*blocks)
        self.reduction = TemporalReduction(reduction, hidden_channels)
        self.out_channels = hidden_channels

    def forward_sequence(self, x: Tensor) -> Tensor:
        """Per-step TCN outputs before the reduction over time.

        Args:
            x: Backbone features, (B, D, T, H, W).

        Returns:
            Step features, (B, E, T); step t depends on frames 0..t only.
        """
        if x.dim() != 5:
            raise ValueError(f'TCN expects (B, D, T, H, W), got shape {tuple(x.shape)}')
        x = x.mean(dim=(3, 4))  # (B, D, T)
        if self.proj is not None:
            x = self.proj(x)  # (B, proj_channels, T)
        return self.blocks(x)  # (B, E, T)

    def forward(self, x: Tensor) -> Tensor:
        """Encode the frame sequence.

        Args:
            x: Backbone features, (B, D, T, H, W).

        Returns:
            Clip embedding, (B, E).
        """
        return self.reduction(self.forward_sequence(x))
