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

# The torchvision architectures, first match wins.
ARCHITECTURES: Tuple[TorchvisionArch, ...] = (
    TorchvisionArch(marker='stem.0.weight', head_prefix='fc.',
                    infer_backbone=_infer_video_resnet,
                    weights=lambda cfg: _VIDEO_RESNET_WEIGHTS[cfg['arch']],
                    num_frames=16, frame_interval=2),
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
