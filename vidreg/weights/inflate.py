"""2D -> 3D inflation of a ResNet state dict (ImageNet weights for a 3D ResNet)."""
from typing import Literal

import torch

from .source import StateDict

__all__ = ['inflate_2d_state_dict']


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
