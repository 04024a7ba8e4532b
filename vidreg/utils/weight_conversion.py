"""Key maps from other projects' checkpoint layouts to vidreg backbones, and 2D -> 3D inflation.

Each ``from_*`` function takes a foreign state dict and returns one whose keys are those of
the vidreg backbone named in its docstring (heads such as ``fc``/``fc8`` dropped).
"""
import re
from typing import Dict, Literal, Tuple

import torch
from torch import Tensor

__all__ = ['Source', 'convert_state_dict', 'infer_backbone', 'from_torchvision',
           'from_c3d_sports1m', 'from_mmaction2_c3d', 'from_kenshohara', 'inflate_2d_state_dict',
           'strip_prefix']

StateDict = Dict[str, Tensor]
Source = Literal['torchvision', 'c3d-sports1m', 'mmaction2', 'kenshohara']

# The input normalisation each source's weights were trained with, as VideoDataPreprocessor
# arguments (0-255 units).
KINETICS_NORM = dict(mean=(110.2008, 100.63983, 95.99475), std=(58.14765, 56.46975, 55.332195))
CAFFE_C3D_NORM = dict(mean=(90.25, 97.66, 101.41), std=None, channel_order='bgr')
MMACTION2_C3D_NORM = dict(mean=(104.0, 117.0, 128.0), std=None, channel_order='bgr')
# kenshohara/3D-ResNets-PyTorch: its Kinetics mean and std (mean.py; the 2020 defaults,
# --mean_dataset kinetics with std normalisation). Its 2017-2018 version defaulted to the
# ActivityNet mean (114.7748, 107.7354, 99.4750) and no std: check the options of the run.
KENSHOHARA_NORM = dict(mean=(110.63666, 103.16065, 96.29023), std=(38.7568578, 37.88248729,
                                                                     40.02898126))


def strip_prefix(state_dict: StateDict, prefix: str) -> StateDict:
    """Remove ``prefix`` from every key that has it when all keys have it (else unchanged)."""
    if state_dict and all(k.startswith(prefix) for k in state_dict):
        return {k[len(prefix):]: v for k, v in state_dict.items()}
    return state_dict


def from_torchvision(state_dict: StateDict) -> StateDict:
    """torchvision ``r3d_18`` / ``mc3_18`` / ``r2plus1d_18`` -> :class:`VideoResNet` (no ``fc``)."""
    return {k: v for k, v in state_dict.items() if not k.startswith('fc.')}


# Sports-1M PyTorch port: conv1a/conv2a (also spelt conv1/conv2), conv3a ... conv5b, fc6, fc7, fc8.
_PORT_CONV = re.compile(r'^conv(\d)([ab]?)\.(weight|bias)$')


def from_c3d_sports1m(state_dict: StateDict) -> StateDict:
    """Sports-1M C3D PyTorch port (``conv1a.weight`` ... ``fc7.bias``, ``fc8``) -> :class:`C3D`.

    Convolutions become ``convXY.conv.*`` (``conv1``/``conv2`` are read as ``conv1a``/
    ``conv2a``); fc6 and fc7 keep their names; fc8 (the Sports-1M classifier) is dropped.
    Expects the Caffe mean (about 90.25, 97.66, 101.41 BGR), no std.
    """
    out = {}
    for key, value in strip_prefix(state_dict, 'module.').items():
        match = _PORT_CONV.match(key)
        if match:
            index, letter, kind = match.groups()
            out[f'conv{index}{letter or "a"}.conv.{kind}'] = value
        elif key.startswith(('fc6.', 'fc7.')):
            out[key] = value
    return out


def from_mmaction2_c3d(state_dict: StateDict) -> StateDict:
    """MMAction2 ``c3d_sports1m_pretrain`` (or a C3D recognizer) -> :class:`C3D`.

    Same names as vidreg's C3D; a ``backbone.`` prefix is removed and ``cls_head`` dropped.
    Expects mean (104, 117, 128) BGR, std 1 (MMAction2's C3D configs).
    """
    state_dict = strip_prefix(state_dict, 'module.')
    if any(k.startswith('backbone.') for k in state_dict):
        state_dict = {k[len('backbone.'):]: v for k, v in state_dict.items()
                      if k.startswith('backbone.')}
    return {k: v for k, v in state_dict.items() if not k.startswith('cls_head.')}


def from_kenshohara(state_dict: StateDict) -> StateDict:
    """kenshohara/3D-ResNets-PyTorch ``resnet`` checkpoints -> :class:`ResNet3D`.

    Same names (``conv1``, ``bn1``, ``layerN.M.convK``/``bnK``/``downsample``); the
    DataParallel ``module.`` prefix is removed and ``fc`` dropped. Those models take RGB
    normalised with the project's Kinetics mean and std by default (``KENSHOHARA_NORM``);
    older runs used the ActivityNet mean and no std: set what the run used in the config.
    """
    state_dict = strip_prefix(state_dict, 'module.')
    return {k: v for k, v in state_dict.items() if not k.startswith('fc.')}


def inflate_2d_state_dict(state_dict_2d: StateDict, target: StateDict, *,
                          mode: Literal['center', 'mean'] = 'center') -> StateDict:
    """Inflate a 2D ResNet state dict to the shapes of a 3D model with the same key names.

    A 2D kernel (D_out, D_in, k, k) becomes (D_out, D_in, t, k, k): ``'center'`` puts it
    in the middle temporal slice and zeros elsewhere (the self-supervised seed's
    initialisation, SPEC §4: a static clip gives the 2D network's features); ``'mean'``
    repeats it over t and divides by t (I3D). Other tensors are copied when their shapes
    agree; keys absent from ``target`` or of another shape are left out.

    Args:
        state_dict_2d: e.g. a torchvision ``resnet50`` state dict.
        target: The 3D model's state dict (for names and shapes).
        mode: See above.

    Returns:
        The inflated state dict, holding only keys of ``target``.
    """
    out = {}
    for key, value in state_dict_2d.items():
        if key not in target:
            continue
        shape = target[key].shape
        if value.dim() == 4 and len(shape) == 5 and value.shape == shape[:2] + shape[3:]:
            t = shape[2]
            if mode == 'mean':
                value = value.unsqueeze(2).repeat(1, 1, t, 1, 1) / t
            else:
                inflated = torch.zeros(shape, dtype=value.dtype)
                inflated[:, :, t // 2] = value
                value = inflated
        if value.shape == shape:
            out[key] = value
    return out


def _blocks(state_dict: StateDict, layer: str) -> int:
    return len({k.split('.')[1] for k in state_dict if k.startswith(layer + '.')})


def _depth(state_dict: StateDict, bottleneck: bool) -> int:
    blocks = tuple(_blocks(state_dict, f'layer{i}') for i in range(1, 5))
    depths = {((2, 2, 2, 2), False): 18, ((3, 4, 6, 3), False): 34, ((3, 4, 6, 3), True): 50}
    if (blocks, bottleneck) not in depths:
        raise ValueError(f'blocks per stage {blocks} (bottleneck={bottleneck}) match no supported '
                         f'depth (18, 34, 50); give the backbone explicitly.')
    return depths[blocks, bottleneck]


def _infer_video_resnet(state_dict: StateDict) -> dict:
    if 'stem.3.weight' in state_dict:
        arch = 'r2plus1d'
    elif state_dict['layer2.0.conv1.0.weight'].shape[2] == 1:
        arch = 'mc3'
    else:
        arch = 'r3d'
    return dict(type='VideoResNet', arch=arch, depth=_depth(state_dict, False),
                base_channels=int(state_dict['layer1.0.conv1.1.weight'].shape[0]))


def _infer_c3d(state_dict: StateDict) -> dict:
    width = int(state_dict['conv1a.conv.weight'].shape[0])
    cfg = dict(type='C3D', base_channels=width, norm=any('.bn.' in k for k in state_dict))
    if 'fc6.weight' not in state_dict:
        return dict(cfg, fc_channels=None)
    if state_dict['fc6.weight'].shape[1] != 8 * width * 16:
        raise ValueError(f'fc6 takes {state_dict["fc6.weight"].shape[1]} inputs, not the '
                         f'{8 * width * 16} of 16x112x112 clips; give the backbone (its '
                         f'input_size) explicitly.')
    return dict(cfg, fc_channels=int(state_dict['fc6.weight'].shape[0]), input_size=(16, 112, 112))


def _infer_resnet3d(state_dict: StateDict) -> dict:
    bottleneck = 'layer1.0.conv3.weight' in state_dict
    conv1 = state_dict['conv1.weight']
    return dict(type='ResNet3D', depth=_depth(state_dict, bottleneck),
                base_channels=int(conv1.shape[0]), conv1_kernel=tuple(conv1.shape[2:]),
                shortcut='B' if 'layer2.0.downsample.0.weight' in state_dict else 'A')


def convert_state_dict(state_dict: StateDict, source: Source) -> Tuple[StateDict, dict]:
    """Map a foreign state dict to vidreg's names.

    Args:
        state_dict: The foreign checkpoint's tensors.
        source: ``'torchvision'`` (video ResNets), ``'c3d-sports1m'`` (the PyTorch port of
            the Sports-1M C3D), ``'mmaction2'`` (MMAction2's C3D) or ``'kenshohara'``
            (3D-ResNets-PyTorch ``resnet``).

    Returns:
        ``(state_dict, data_preprocessor)``: the converted tensors and the
        ``VideoDataPreprocessor`` arguments the weights expect.

    Raises:
        ValueError: Unknown source.
    """
    if source == 'torchvision':
        return from_torchvision(state_dict), KINETICS_NORM
    if source == 'c3d-sports1m':
        return from_c3d_sports1m(state_dict), CAFFE_C3D_NORM
    if source == 'mmaction2':
        return from_mmaction2_c3d(state_dict), MMACTION2_C3D_NORM
    if source == 'kenshohara':
        return from_kenshohara(state_dict), KENSHOHARA_NORM
    raise ValueError(f"source must be 'torchvision', 'c3d-sports1m', 'mmaction2' or "
                     f"'kenshohara', got {source!r}")


def infer_backbone(state_dict: StateDict, source: Source) -> dict:
    """The backbone config (for ``MODELS.build``) that converted tensors fit, from their shapes.

    Raises:
        ValueError: Shapes that fit no supported backbone (then name it explicitly).
    """
    if source == 'torchvision':
        return _infer_video_resnet(state_dict)
    if source == 'kenshohara':
        return _infer_resnet3d(state_dict)
    return _infer_c3d(state_dict)
