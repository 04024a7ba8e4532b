"""Run a 2D image module on every frame of a clip at once.

The frame axis T is folded into the batch axis B for the call and unfolded
before returning, so time is never folded across a module boundary.
"""
from typing import Callable, Dict, Optional, Union

import torch
from torch import Tensor

__all__ = ['frame_wise']


FrameOutput = Union[Tensor, Dict[str, Tensor]]


def _unfold(out: Tensor, b: int, t: int) -> Tensor:
    out = out.reshape(b, t, *out.shape[1:])  # (B, T, D, ...)
    return out.transpose(1, 2)  # (B, D, T, ...)


def frame_wise(fn: Callable[[Tensor], FrameOutput], x: Tensor, *,
               frame_chunk: Optional[int] = None) -> FrameOutput:
    """Apply an image function to all frames of a clip batch.

    Args:
        fn: Maps images ``(N, C, H, W)`` to ``(N, D, ...)``, e.g. ``(N, D, H', W')``
            feature maps or ``(N, D)`` vectors, or to a dict of such tensors (named
            stages of a backbone), each unfolded alike.
        x: Clips, (B, C, T, H, W).
        frame_chunk: If set, run ``fn`` on at most this many images at a time
            (B*T images in all) to cap peak memory, then concatenate. Results equal
            one call in eval mode. In train mode each chunk is a separate batch for
            BatchNorm (its own statistics and one running-stat update per chunk),
            and activations kept for backward are not reduced.

    Returns:
        Frame features with time in dim 2, (B, D, T, ...), e.g. (B, D, T, H', W'), or a
        dict of them when ``fn`` returns a dict.
    """
    if x.dim() != 5:
        raise ValueError(f'frame_wise expects clips (B, C, T, H, W), got shape {tuple(x.shape)}')
    if frame_chunk is not None and frame_chunk < 1:
        raise ValueError(f'frame_chunk must be a positive int or None, got {frame_chunk}')
    b, c, t, h, w = x.shape
    images = x.transpose(1, 2).reshape(b * t, c, h, w)  # (B*T, C, H, W)
    if frame_chunk is None or frame_chunk >= b * t:
        out = fn(images)  # (B*T, D, ...) or {name: (B*T, D, ...)}
    else:
        parts = [fn(chunk) for chunk in images.split(frame_chunk)]
        out = ({name: torch.cat([part[name] for part in parts]) for name in parts[0]}
               if isinstance(parts[0], dict) else torch.cat(parts))  # (B*T, D, ...)
    if isinstance(out, dict):
        return {name: _unfold(value, b, t) for name, value in out.items()}
    return _unfold(out, b, t)

