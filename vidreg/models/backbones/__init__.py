"""Backbones: clips (B, C, T, H, W) -> features (B, D, T', H', W'), attribute ``out_channels``."""
from .base_backbone import BaseBackbone
from .c3d import C3D
from .mvit import MViT
from .resnet2d import ResNet2D
from .resnet3d import ResNet3D
from .s3d import S3D
from .swin_transformer3d import SwinTransformer3D
from .tiny_conv2d import TinyConv2D
from .video_resnet import VideoResNet
from .videomae import VideoMAE

__all__ = ['BaseBackbone', 'C3D', 'MViT', 'ResNet2D', 'ResNet3D', 'S3D', 'SwinTransformer3D',
           'TinyConv2D', 'VideoMAE', 'VideoResNet']
