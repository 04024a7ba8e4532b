"""Base of the training crops that cut one window per clip and resize it to a fixed size."""
from collections.abc import Sequence
from typing import Literal

from ._spatial import SizeLike, SpatialTransform, crop, to_hw
from .resize import check_interpolation, resize_clip


class ResizedCrop(SpatialTransform):
    """Cut the window from :meth:`window` out of every frame, then resize it to ``size``.

    Subclasses draw the window (one per sample, so all frames of all keys share it).

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``),
    ``test_mode`` (optional).

    Modified keys: ``keys`` (``(N, C, h, w)`` with ``(w, h) = size``), ``img_shape``.

    Args:
        size: Output ``int`` (square) or ``(w, h)``.
        interpolation: ``'bilinear'``, ``'bicubic'`` or ``'nearest'``.
        antialias: As in :class:`Resize`.
        keys: The frame arrays to crop, e.g. ``('imgs', 'flow')``.
    """

    def __init__(self, size: SizeLike,
                 interpolation: Literal['bilinear', 'bicubic', 'nearest'] = 'bilinear',
                 antialias: bool = True, keys: Sequence[str] = ('imgs',)) -> None:
        super().__init__(keys)
        self.size = size
        self._hw = to_hw(size, 'size')
        self.interpolation = check_interpolation(interpolation)
        self.antialias = bool(antialias)

    def window(self, img_h: int, img_w: int, test_mode: bool = False
               ) -> tuple[int, int, int, int]:
        """The crop window ``(top, left, height, width)`` for ``img_h x img_w`` frames."""
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        top, left, height, width = self.window(*self.frames_hw(results),
                                               test_mode=results.get('test_mode', False))
        return self.apply(results, lambda imgs, _: resize_clip(
            crop(imgs, top, left, height, width), *self._hw, self.interpolation,
            self.antialias))
