"""MMAction2 1.x ResNet-50s: I3D-R50, SlowOnly-R50 (``ResNet3d``), TSN-R50 (``ResNet``).

Their model zoo files hold ``state_dict`` with ``backbone.conv1.conv.weight``,
``backbone.conv1.bn.*``, ``backbone.layerN.M.convK.conv/bn.*``, ``...downsample.conv/bn.*``
(mmcv ``ConvModule``s) and the classifier ``cls_head.fc_cls.*``. The same blocks are
:class:`~vidreg.models.backbones.ResNet3D` (3D) and :class:`~vidreg.models.backbones.ResNet2D`
(2D, torchvision names) under ``convK`` / ``bnK`` / ``downsample.0`` / ``downsample.1``;
MMAction2's ``I3DHead`` / ``TSNHead`` (average over space and time or segments, dropout, linear)
are ``TemporalAvgPool`` + ``ClsHead``.
"""
import re
from typing import Tuple

from .source import SourceModel, StateDict, TestClip

__all__ = ['MMACTION2_NORM', 'is_mmaction2_resnet', 'split_mmaction2_resnet',
           'infer_mmaction2_resnet', 'convert_resnet']

# MMAction2's RGB configs: ImageNet mean / std in 0-255 units.
MMACTION2_NORM = dict(mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375))
_RENAMES = ((re.compile(r'^conv1\.conv\.'), 'conv1.'), (re.compile(r'^conv1\.bn\.'), 'bn1.'),
            (re.compile(r'\.conv(\d)\.conv\.'), r'.conv\1.'),
            (re.compile(r'\.conv(\d)\.bn\.'), r'.bn\1.'),
            (re.compile(r'\.downsample\.conv\.'), '.downsample.0.'),
            (re.compile(r'\.downsample\.bn\.'), '.downsample.1.'))
_DEPTHS = {(2, 2, 2, 2): 18, (3, 4, 6, 3): 50}
# The test clips of MMAction2's Kinetics-400 configs (one view: its ThreeCrop 256 centre crop):
# i3d_..._32x2x1, slowonly_r50_..._8x8x1; TSN's 25 segments over the whole video
# (tsn_..._1x1x8) are approximated by 8 frames every 8th, cropped 224 as its TenCrop.
_CLIPS = {5: TestClip(num_frames=32, frame_interval=2, short_side=256, crop_size=256),
          1: TestClip(num_frames=8, frame_interval=8, short_side=256, crop_size=256),
          '2d': TestClip(num_frames=8, frame_interval=8, short_side=256, crop_size=224)}


def is_mmaction2_resnet(state_dict: StateDict) -> bool:
    """Whether the checkpoint is an MMAction2 ResNet recognizer (vs its C3D)."""
    return 'backbone.conv1.conv.weight' in state_dict or 'conv1.conv.weight' in state_dict


def split_mmaction2_resnet(state_dict: StateDict) -> Tuple[StateDict, StateDict]:
    """MMAction2 names -> (ResNet3D / ResNet2D backbone tensors, ClsHead tensors)."""
    state_dict = {k[len('module.'):] if k.startswith('module.') else k: v
                  for k, v in state_dict.items()}
    if any(k.startswith('backbone.') for k in state_dict):
        source = {k[len('backbone.'):]: v for k, v in state_dict.items()
                  if k.startswith('backbone.')}
    else:
        source = {k: v for k, v in state_dict.items() if not k.startswith('cls_head.')}
    backbone = {}
    for key, value in source.items():
        for pattern, replacement in _RENAMES:
            key = pattern.sub(replacement, key)
        backbone[key] = value
    head = {f'fc.{k[len("cls_head.fc_cls."):]}': v for k, v in state_dict.items()
            if k.startswith('cls_head.fc_cls.')}
    return backbone, head


def _blocks(backbone: StateDict) -> Tuple[int, ...]:
    return tuple(len({k.split('.')[1] for k in backbone if k.startswith(f'layer{i}.')})
                 for i in range(1, 5))


def infer_mmaction2_resnet(backbone: StateDict) -> dict:
    """The vidreg backbone config that converted MMAction2 ResNet tensors fit.

    A 2D ``conv1`` (TSN) is ``ResNet2D``. A 3D one is ``ResNet3D`` with MMAction2's layout
    (temporal kernel on each bottleneck's first convolution, read per block from the shapes)
    and the strides of its model zoo configs, which the weights do not show: a 5x7x7 ``conv1``
    is I3D-R50 (``conv1`` and ``pool1`` stride 2 in time, ``pool2``), a 1x7x7 one SlowOnly-R50
    (no temporal stride), any other ``ResNet3d``'s defaults (``pool2``, no other temporal
    stride). Pass ``--backbone`` for another layout.

    Raises:
        KeyError: ``conv1.weight`` is missing.
        ValueError: A block layout other than ResNet-18/50 (2D) or ResNet-50 (3D).
    """
    conv1 = backbone['conv1.weight']
    blocks = _blocks(backbone)
    if blocks not in _DEPTHS or (_DEPTHS[blocks] == 50) != ('layer1.0.conv3.weight' in backbone):
        raise ValueError(f'blocks per stage {blocks} match no ResNet-18/50 layout')
    depth = _DEPTHS[blocks]
    if conv1.dim() == 4:
        return dict(type='ResNet2D', depth=depth)
    if depth != 50:
        raise ValueError('MMAction2 3D ResNets convert at depth 50 (I3D-R50, SlowOnly-R50); '
                         'give --backbone for another')
    kernel_t = int(conv1.shape[2])
    kernels = tuple(tuple(int(backbone[f'layer{i + 1}.{b}.conv1.weight'].shape[2])
                          for b in range(n)) for i, n in enumerate(blocks))
    cfg = dict(type='ResNet3D', depth=depth, base_channels=int(conv1.shape[0]),
               conv1_kernel=tuple(int(s) for s in conv1.shape[2:]), conv1_stride=(1, 2, 2),
               pool1_kernel=(1, 3, 3), pool1_stride=(1, 2, 2), spatial_strides=(1, 2, 2, 2),
               temporal_strides=(1, 1, 1, 1), temporal_kernels=kernels,
               temporal_conv='conv1', pool2_kernel=(2, 1, 1))
    if kernel_t == 5:  # I3D-R50: conv1_stride_t=2, pool1_stride_t=2, with_pool2
        cfg.update(conv1_stride=(2, 2, 2), pool1_stride=(2, 2, 2))
    elif kernel_t == 1:  # SlowOnly-R50: ResNet3dSlowOnly's with_pool2=False
        cfg.update(pool2_kernel=None)
    return cfg


def convert_resnet(state_dict: StateDict, src: str) -> SourceModel:
    """An MMAction2 I3D / SlowOnly / TSN checkpoint as backbone + ClsHead tensors (no class names:
    MMAction2's checkpoints do not store them)."""
    backbone, head = split_mmaction2_resnet(state_dict)
    conv1 = backbone.get('conv1.weight')
    kind = '2d' if conv1 is None or conv1.dim() == 4 else int(conv1.shape[2])
    return SourceModel(backbone=backbone, head=head, classes=None,
                       data_preprocessor=MMACTION2_NORM,
                       test_clip=_CLIPS.get(kind, _CLIPS[1]))
