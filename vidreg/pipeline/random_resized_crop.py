"""Inception-style training crop: random area and aspect ratio, then resize."""
import math
from collections.abc import Sequence
from typing import Literal, Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from ._resized_crop import ResizedCrop
from ._spatial import SizeLike


@TRANSFORMS.register_module()
class RandomResizedCrop(ResizedCrop):
    """Crop a random window of random area and aspect ratio, then resize it to ``size``.

    The window covers a fraction of the frame area drawn uniformly from
    ``area_range`` and has a width/height ratio drawn log-uniformly from
    ``aspect_ratio_range`` (the Inception recipe of torchvision's
    ``RandomResizedCrop.get_params``, drawn from numpy's RNG). One window is drawn
    per sample and cut from every frame of every key. If no draw fits in 10
    attempts, or in test mode, the largest central window with an allowed
    aspect ratio is used.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``),
    ``test_mode`` (optional).

    Modified keys: ``keys`` (``(N, C, h, w)`` with ``(w, h) = size``), ``img_shape``.

    Args:
        size: Output ``int`` (square) or ``(w, h)``.
        area_range: Min and max fraction of the frame area, in ``(0, 1]``.
        aspect_ratio_range: Min and max width/height ratio of the window.
        interpolation: ``'bilinear'``, ``'bicubic'`` or ``'nearest'``.
        antialias: As in :class:`Resize`.
        keys: The frame arrays to crop, all with one window, e.g. ``('imgs', 'flow')``.
    """

    def __init__(self, *, size: SizeLike, area_range: tuple[float, float] = (0.08, 1.0),
                 aspect_ratio_range: tuple[float, float] = (3 / 4, 4 / 3),
                 interpolation: Literal['bilinear', 'bicubic', 'nearest'] = 'bilinear',
                 antialias: bool = True, keys: Sequence[str] = ('imgs',)) -> None:
        if not 0 < area_range[0] <= area_range[1] <= 1:
            raise ValueError(f'area_range must satisfy 0 < min <= max <= 1, got {area_range}')
        if not 0 < aspect_ratio_range[0] <= aspect_ratio_range[1]:
            raise ValueError(f'aspect_ratio_range must satisfy 0 < min <= max, '
                             f'got {aspect_ratio_range}')
        super().__init__(size, interpolation, antialias, keys)
        self.area_range = tuple(area_range)
        self.aspect_ratio_range = tuple(aspect_ratio_range)

    def window(self, img_h: int, img_w: int, test_mode: bool = False
               ) -> tuple[int, int, int, int]:
        if not test_mode:
            drawn = self._draw(img_h, img_w)
            if drawn is not None:
                return drawn
        ratio = min(max(img_w / img_h, self.aspect_ratio_range[0]), self.aspect_ratio_range[1])
        if img_w / img_h > ratio:  # frame too wide: keep the full height
            height, width = img_h, min(img_w, round(img_h * ratio))
        else:
            height, width = min(img_h, round(img_w / ratio)), img_w
        return (img_h - height) // 2, (img_w - width) // 2, height, width

    def _draw(self, img_h: int, img_w: int) -> Optional[tuple[int, int, int, int]]:
        """A random window ``(top, left, height, width)`` that fits, or ``None`` after 10 tries
        (numpy's RNG, seeded per sample by the datasets: exactly resumable)."""
        log_ratio = np.log(self.aspect_ratio_range)
        for _ in range(10):
            area = img_h * img_w * np.random.uniform(*self.area_range)
            ratio = math.exp(np.random.uniform(*log_ratio))
            width = int(round(math.sqrt(area * ratio)))
            height = int(round(math.sqrt(area / ratio)))
            if 0 < width <= img_w and 0 < height <= img_h:
                top = np.random.randint(0, img_h - height + 1)
                left = np.random.randint(0, img_w - width + 1)
                return top, left, height, width
        return None
