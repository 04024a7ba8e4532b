"""Size parsing, cropping and frame gathering shared by the spatial transforms."""
from typing import Optional, Union

import numpy as np
import torch
from mmcv.transforms import BaseTransform

SizeLike = Union[int, tuple[int, int]]


def to_hw(size: SizeLike, name: str) -> tuple[int, int]:
    """Turn an ``int`` (square) or ``(w, h)`` size into ``(h, w)``, checked positive."""
    if isinstance(size, int):
        height = width = size
    else:
        width, height = size
    if not (isinstance(height, int) and isinstance(width, int) and height > 0 and width > 0):
        raise ValueError(f'{name} must be a positive int or a (w, h) pair of them, got {size!r}')
    return height, width


def check_fits(results: dict, height: int, width: int, name: str) -> tuple[int, int]:
    """The current ``(H, W)`` of ``imgs``, checked to hold a ``height x width`` crop."""
    img_h, img_w = results['imgs'].shape[-2:]
    if height > img_h or width > img_w:
        raise ValueError(
            f'{name}: crop {width}x{height} (w x h) exceeds the {img_w}x{img_h} frames of '
            f"{results.get('filename')!r}; put a Resize before it.")
    return img_h, img_w


def crop(imgs: torch.Tensor, top: int, left: int, height: int, width: int) -> torch.Tensor:
    """Crop the same window from every frame: ``(N, C, H, W)`` -> ``(N, C, height, width)``."""
    return imgs[..., top:top + height, left:left + width]


def set_imgs(results: dict, imgs: torch.Tensor) -> dict:
    """Store new ``imgs`` and keep ``img_shape`` current."""
    results['imgs'] = imgs
    results['img_shape'] = tuple(imgs.shape[-2:])
    return results


def gather_frames(imgs: torch.Tensor, frame_map: np.ndarray,
                  out: Optional[np.ndarray] = None) -> torch.Tensor:
    """Distinct frames laid out as clips: ``(M, C, H, W)`` -> ``imgs[frame_map]`` ``(N, C, H, W)``.

    One copy, on the ``(H, W, C)`` view, so the result is channels-last (as
    decoded). ``np.take(mode='clip')`` writes unbuffered: 10x faster than its
    default mode, and than torch's uint8 indexing (the indices from
    :class:`DecodeFrames` are always valid).

    Args:
        imgs: Distinct frames ``(M, C, H, W)``.
        frame_map: int64 ``(N,)`` indices into ``imgs``.
        out: Optional ``(N, H, W, C)`` contiguous array to write into.
    """
    frames = imgs.permute(0, 2, 3, 1).numpy()  # (M, H, W, C)
    if out is None:
        out = np.empty((len(frame_map), *frames.shape[1:]), dtype=frames.dtype)
    np.take(frames, frame_map, axis=0, out=out, mode='clip')
    return torch.from_numpy(out).permute(0, 3, 1, 2)


class FixedSizeCrop(BaseTransform):
    """Base of the crops of a fixed ``crop_size``: argument checking and ``repr``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    accepts_frame_map = True  # crops treat all frames alike; multi-crops apply frame_map

    def __init__(self, crop_size: SizeLike) -> None:
        self.crop_size = crop_size
        self._hw = to_hw(crop_size, 'crop_size')  # (h, w)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(crop_size={self.crop_size})'
