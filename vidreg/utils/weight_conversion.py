"""Key maps from other projects' checkpoint layouts to vidreg backbones, and 2D -> 3D inflation.

Each ``from_*`` function takes a foreign state dict and returns one whose keys are those of
the vidreg backbone named in its docstring (heads such as ``fc``/``fc8`` dropped).
"""
import re
from typing import Dict, Literal

import torch
from torch import Tensor

__all__ = ['from_torchvision', 'from_c3d_sports1m', 'from_mmaction2_c3d', 'from_kenshohara',
           'inflate_2d_state_dict', 'strip_prefix']

StateDict = Dict[str, Tensor]


def strip_prefix(state_dict: StateDict, prefix: str) -> StateDict:
    """Remove ``prefix`` from every key that has it when all keys have it (else unchanged)."""
    if state_dict and all(k.startswith(prefix) for k in state_dict):
        return {k[len(prefix):]: v for k, v in state_dict.items()}
    return state_dict


def from_torchvision(state_dict: StateDict) -> StateDict:
    """torchvision ``r3d_18`` / ``mc3_18`` / ``r2plus1d_18`` -> :class:`VideoResNet`: drop ``fc``."""
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
    DataParallel ``module.`` prefix is removed and ``fc`` dropped. Those models were
    trained on RGB in [0, 1] normalised with the ActivityNet/Kinetics mean (and std or not,
    per the project's options): set the same in the config.
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
