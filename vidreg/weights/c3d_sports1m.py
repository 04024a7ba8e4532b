"""``--from c3d-sports1m``: the Sports-1M C3D PyTorch port (``conv1a.weight`` ... ``fc8``)."""
import re

from .source import SourceModel, StateDict, TestClip, WeightSource, linear_head, strip_prefix

__all__ = ['SOURCE', 'infer_c3d']

# Caffe's Sports-1M mean (BGR), no std.
CAFFE_C3D_NORM = dict(mean=(90.25, 97.66, 101.41), std=None, channel_order='bgr')
C3D_CLIP = TestClip(num_frames=16, frame_interval=1, short_side=128, crop_size=112)
# conv1a/conv2a (also spelt conv1/conv2), conv3a ... conv5b, fc6, fc7, fc8.
_PORT_CONV = re.compile(r'^conv(\d)([ab]?)\.(weight|bias)$')


def convert(state_dict: StateDict, src: str) -> SourceModel:
    """Convolutions become ``convXY.conv.*`` (``conv1``/``conv2`` read as ``conv1a``/``conv2a``);
    fc6 and fc7 keep their names; fc8, the 487 Sports-1M classes (names not shipped), is the head.
    """
    backbone = {}
    state_dict = strip_prefix(state_dict, 'module.')
    for key, value in state_dict.items():
        match = _PORT_CONV.match(key)
        if match:
            index, letter, kind = match.groups()
            backbone[f'conv{index}{letter or "a"}.conv.{kind}'] = value
        elif key.startswith(('fc6.', 'fc7.')):
            backbone[key] = value
    return SourceModel(backbone=backbone, head=linear_head(state_dict, 'fc8.'), classes=None,
                       data_preprocessor=CAFFE_C3D_NORM, test_clip=C3D_CLIP)


def infer_c3d(state_dict: StateDict) -> dict:
    """The :class:`C3D` config of converted tensors (fc6 must fit 16x112x112 clips)."""
    width = int(state_dict['conv1a.conv.weight'].shape[0])
    cfg = dict(type='C3D', base_channels=width, norm=any('.bn.' in k for k in state_dict))
    if 'fc6.weight' not in state_dict:
        return dict(cfg, fc_channels=None)
    if state_dict['fc6.weight'].shape[1] != 8 * width * 16:
        raise ValueError(f'fc6 takes {state_dict["fc6.weight"].shape[1]} inputs, not the '
                         f'{8 * width * 16} of 16x112x112 clips; give the backbone (its '
                         f'input_size) explicitly.')
    return dict(cfg, fc_channels=int(state_dict['fc6.weight'].shape[0]), input_size=(16, 112, 112))


SOURCE = WeightSource(name='c3d-sports1m', convert=convert, infer_backbone=infer_c3d)
