"""Base of the training crops that cut one window per clip and resize it to a fixed size."""
from typing import Literal

import torch
from mmcv.transforms import BaseTransform

from ._spatial import SizeLike, crop, set_imgs, to_hw
from .resize import check_interpolation, resize_clip


class ResizedCrop(BaseTransform):
    """Cut the window from :meth:`window` out of every frame, then resize it to ``size``.

    Subclasses draw the window (one per clip, so all frames share it).

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``), ``test_mode`` (optional).

    Modified keys: ``imgs`` (``(N, C, h, w)`` with ``(w, h) = size``), ``img_shape``.

    Args:
        size: Output ``int`` (square) or ``(w, h)``.
        interpolation: ``'bilinear'``, ``'bicubic'`` or ``'nearest'``.
        antialias: As in :class:`Resize`.
    """

    accepts_frame_map = True  # one window for all frames (see DecodeFrames)

    def __init__(self, size: SizeLike,
                 interpolation: Literal['bilinear', 'bicubic', 'nearest'] = 'bilinear',
                 antialias: bool = True) -> None:
        self.size = size
        self._hw = to_hw(size, 'size')
        self.interpolation = check_interpolation(interpolation)
        self.antialias = bool(antialias)

    def window(self, img_h: int, img_w: int, test_mode: bool = False
               ) -> tuple[int, int, int, int]:
        """The crop window ``(top, left, height, width)`` for ``img_h x img_w`` frames."""
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        imgs: torch.Tensor = results['imgs']
        top, left, height, width = self.window(*imgs.shape[-2:],
                                               test_mode=results.get('test_mode', False))
        imgs = crop(imgs, top, left, height, width)
        return set_imgs(results, resize_clip(imgs, *self._hw, self.interpolation,
                                             self.antialias))
