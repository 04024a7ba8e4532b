"""Backbones: clips (B, C, T, H, W) -> features (B, D, T', H', W'), attribute ``out_channels``."""
from .resnet2d import ResNet2D
from .tiny_conv2d import TinyConv2D

__all__ = ['ResNet2D', 'TinyConv2D']
