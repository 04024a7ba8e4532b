"""``--from mmaction2``: MMAction2 1.x checkpoints: C3D, I3D-R50, SlowOnly-R50, TSN-R50.

A checkpoint with ``backbone.conv1.conv.weight`` (mmcv ``ConvModule`` names) is one of its
ResNets (:mod:`vidreg.weights.mmaction2_resnet`), any other its C3D
(:mod:`vidreg.weights.mmaction2_c3d`).
"""
from .mmaction2_c3d import convert_c3d, infer_c3d
from .mmaction2_resnet import convert_resnet, infer_mmaction2_resnet, is_mmaction2_resnet
from .source import SourceModel, StateDict, WeightSource

__all__ = ['SOURCE']


def convert(state_dict: StateDict, src: str) -> SourceModel:
    """The ResNet or the C3D conversion, by the checkpoint's key names."""
    if is_mmaction2_resnet(state_dict):
        return convert_resnet(state_dict, src)
    return convert_c3d(state_dict, src)


def infer_backbone(backbone: StateDict) -> dict:
    """``ResNet3D`` / ``ResNet2D`` for converted ResNet tensors (``bn1``), else ``C3D``."""
    if 'bn1.weight' in backbone:
        return infer_mmaction2_resnet(backbone)
    return infer_c3d(backbone)


SOURCE = WeightSource(name='mmaction2', convert=convert, infer_backbone=infer_backbone)
