"""A copy of a convolution that reads another number of input channels."""
from torch import nn

__all__ = ['conv_in_channels']


def conv_in_channels(conv: nn.Conv3d, in_channels: int) -> nn.Conv3d:
    """``conv`` itself when it reads ``in_channels`` channels, else a new ``nn.Conv3d`` with its
    output channels, kernel, stride, padding and bias, reading ``in_channels`` (e.g. 2 for flow
    fields) in place of the 3 colours of a torchvision definition's first convolution."""
    if conv.in_channels == in_channels:
        return conv
    return nn.Conv3d(in_channels, conv.out_channels, conv.kernel_size, stride=conv.stride,
                     padding=conv.padding, bias=conv.bias is not None)
