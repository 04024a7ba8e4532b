"""``--from torchvision``: torchvision's video classifiers, whose names vidreg's backbones keep.

Each architecture is a row of :data:`ARCHITECTURES`: a key only its layout has, where its
classifier is, how the backbone config is read from the shapes, and its weights enum (the
input normalisation, crop and resize of its ``transforms()``, and the class names of its
``meta['categories']``: no download).
"""
import os.path as osp
from typing import Callable, NamedTuple, Optional, Tuple, Type

import torchvision.models as tvm
from torchvision.models import WeightsEnum
from torchvision.models import video as tv_video

from .resnet_depth import resnet_depth
from .source import SourceModel, StateDict, TestClip, WeightSource, linear_head

__all__ = ['SOURCE', 'ARCHITECTURES', 'TorchvisionArch', 'torchvision_weights']


class TorchvisionArch(NamedTuple):
    """How one torchvision video architecture maps onto a vidreg backbone.

    Attributes:
        marker: A key that only this architecture's state dict has.
        head_prefix: Its classifier's prefix (``'fc.'``, ``'head.'``...); those keys are the
            head, every other key keeps its name in the backbone.
        infer_backbone: The backbone config from the (backbone) tensors' shapes.
        weights: ``weights(backbone_cfg)``, the weights enum of that configuration.
        num_frames: ``clip_len`` of torchvision's evaluation of the weights.
        frame_interval: Frames skipped at 30 fps for its ``frame_rate``.
    """

    marker: str
    head_prefix: str
    infer_backbone: Callable[[StateDict], dict]
    weights: Callable[[dict], Type[WeightsEnum]]
    num_frames: int
    frame_interval: int


def _infer_video_resnet(state_dict: StateDict) -> dict:
    if 'stem.3.weight' in state_dict:
        arch = 'r2plus1d'
    elif state_dict['layer2.0.conv1.0.weight'].shape[2] == 1:
        arch = 'mc3'
    else:
        arch = 'r3d'
    return dict(type='VideoResNet', arch=arch, depth=resnet_depth(state_dict, False),
                base_channels=int(state_dict['layer1.0.conv1.1.weight'].shape[0]))


_VIDEO_RESNET_WEIGHTS = dict(r3d=tv_video.R3D_18_Weights, mc3=tv_video.MC3_18_Weights,
                             r2plus1d=tv_video.R2Plus1D_18_Weights)


def _infer_s3d(state_dict: StateDict) -> dict:
    """S3D has one size; its classifier reads a stride-1 (2, 7, 7) average pool."""
    return dict(type='S3D', avg_pool_kernel=(2, 7, 7))


_SWIN_ARCHS = {(96, (2, 2, 6, 2)): 't', (96, (2, 2, 18, 2)): 's', (128, (2, 2, 18, 2)): 'b'}
_SWIN_WINDOW = (8, 7, 7)  # every torchvision Swin3D


def _infer_swin(state_dict: StateDict) -> dict:
    embed_dim = int(state_dict['patch_embed.proj.weight'].shape[0])
    stages = sorted({int(k.split('.')[1]) for k in state_dict if k.startswith('features.')})
    depths = tuple(len({k.split('.')[2] for k in state_dict
                        if k.startswith(f'features.{stage}.') and '.attn.' in k})
                   for stage in stages[::2])
    num_heads = tuple(int(state_dict[f'features.{stage}.0.attn.relative_position_bias_table']
                          .shape[1]) for stage in stages[::2])
    table = state_dict['features.0.0.attn.relative_position_bias_table'].shape[0]
    if table != (2 * 8 - 1) * (2 * 7 - 1) * (2 * 7 - 1):
        raise ValueError(f'a relative position table of {table} rows is not the {_SWIN_WINDOW} '
                         f'window of torchvision\'s Swin3D; give the backbone (its window_size) '
                         f'explicitly.')
    arch = _SWIN_ARCHS.get((embed_dim, depths))
    if arch is not None and num_heads == (embed_dim // 32, embed_dim // 16, embed_dim // 8,
                                          embed_dim // 4):
        return dict(type='SwinTransformer3D', arch=arch)
    return dict(type='SwinTransformer3D', embed_dim=embed_dim, depths=depths,
                num_heads=num_heads)


def _infer_mvit(state_dict: StateDict) -> dict:
    """Arch from the position embeddings (absolute: v1-B, relative: v2-S); sizes from theirs."""
    embed_dim = int(state_dict['conv_proj.weight'].shape[0])
    if 'pos_encoding.spatial_pos' in state_dict:
        tokens = int(state_dict['pos_encoding.spatial_pos'].shape[0])
        side = round(tokens ** 0.5)
        temporal = int(state_dict['pos_encoding.temporal_pos'].shape[0])
        arch = 'v1_b'
    else:  # the first block's relative positions span 2 * tokens - 1 (its queries unpooled)
        side = (int(state_dict['blocks.0.attn.rel_pos_h'].shape[0]) + 1) // 2
        temporal = (int(state_dict['blocks.0.attn.rel_pos_t'].shape[0]) + 1) // 2
        arch = 'v2_s'
    cfg = dict(type='MViT', arch=arch)
    if embed_dim != 96:
        cfg['embed_dim'] = embed_dim
    if (side, temporal) != (56, 8):
        cfg.update(spatial_size=(4 * side, 4 * side), temporal_size=2 * temporal)
    return cfg


def _mvit_weights(cfg: dict) -> Type[WeightsEnum]:
    return tv_video.MViT_V1_B_Weights if cfg['arch'] == 'v1_b' else tv_video.MViT_V2_S_Weights


_SWIN_WEIGHTS = dict(t=tv_video.Swin3D_T_Weights, s=tv_video.Swin3D_S_Weights,
                     b=tv_video.Swin3D_B_Weights)

# The torchvision architectures, first match wins.
ARCHITECTURES: Tuple[TorchvisionArch, ...] = (
    TorchvisionArch(marker='stem.0.weight', head_prefix='fc.',
                    infer_backbone=_infer_video_resnet,
                    weights=lambda cfg: _VIDEO_RESNET_WEIGHTS[cfg['arch']],
                    num_frames=16, frame_interval=2),
    TorchvisionArch(marker='features.0.0.0.weight', head_prefix='classifier.1.',
                    infer_backbone=_infer_s3d, weights=lambda cfg: tv_video.S3D_Weights,
                    num_frames=128, frame_interval=2),
    TorchvisionArch(marker='patch_embed.proj.weight', head_prefix='head.',
                    infer_backbone=_infer_swin,
                    weights=lambda cfg: _SWIN_WEIGHTS[cfg.get('arch', 't')],
                    num_frames=32, frame_interval=2),
    TorchvisionArch(marker='conv_proj.weight', head_prefix='head.1.',
                    infer_backbone=_infer_mvit, weights=_mvit_weights,
                    num_frames=16, frame_interval=4),
)


def torchvision_weights(src: str) -> Optional[WeightsEnum]:
    """The torchvision weights that ``src`` names (``'R3D_18_Weights.KINETICS400_V1'``) or whose
    file it is (the cache file name, e.g. ``r3d_18-b3b3357e.pth``); ``None`` for other files."""
    name = osp.basename(str(src))
    for model_name in tvm.list_models(module=tv_video):
        for weights in tvm.get_model_weights(model_name):
            if str(src) == str(weights) or name == osp.basename(weights.url):
                return weights
    return None


def _architecture(state_dict: StateDict) -> TorchvisionArch:
    for arch in ARCHITECTURES:
        if arch.marker in state_dict:
            return arch
    raise KeyError(' or '.join(arch.marker for arch in ARCHITECTURES))


def convert(state_dict: StateDict, src: str) -> SourceModel:
    """Backbone keys unchanged; the architecture's classifier becomes the ClsHead ``fc``.

    Raises:
        KeyError: No architecture's marker key is in ``state_dict``.
    """
    arch = _architecture(state_dict)
    backbone = {k: v for k, v in state_dict.items() if not k.startswith(arch.head_prefix)}
    weights = torchvision_weights(src)
    enum = arch.weights(arch.infer_backbone(backbone)) if weights is None else type(weights)
    member = weights or next(iter(enum))
    transforms = member.transforms()
    head = linear_head(state_dict, arch.head_prefix)
    classes = None
    if weights is not None and head and len(weights.meta['categories']) == len(head['fc.bias']):
        classes = tuple(weights.meta['categories'])
    norm = dict(mean=tuple(round(255 * m, 6) for m in transforms.mean),
                std=tuple(round(255 * s, 6) for s in transforms.std))
    clip = TestClip(num_frames=arch.num_frames, frame_interval=arch.frame_interval,
                    short_side=min(transforms.resize_size), crop_size=transforms.crop_size[0])
    return SourceModel(backbone=backbone, head=head, classes=classes, data_preprocessor=norm,
                       test_clip=clip)


def infer_backbone(state_dict: StateDict) -> dict:
    """The backbone config of the architecture whose marker key the tensors have."""
    return _architecture(state_dict).infer_backbone(state_dict)


SOURCE = WeightSource(name='torchvision', convert=convert, infer_backbone=infer_backbone)
