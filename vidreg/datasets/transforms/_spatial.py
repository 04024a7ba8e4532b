"""Size parsing and cropping shared by the spatial transforms."""
from typing import Union

import torch

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
