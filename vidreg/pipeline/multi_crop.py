"""Multi-crop testing views: ThreeCrop and TenCrop."""
from collections.abc import Sequence
from typing import Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import (
    FixedSizeCrop,
    FlowAware,
    SizeLike,
    check_flow_keys,
    crop,
    gather_frames,
    hflip,
)


def _stack_views(views: list[np.ndarray], frame_map: Optional[np.ndarray]) -> np.ndarray:
    """Stack crop views crop-major: ``k x (M, C, h, w)`` -> ``(k * M, C, h, w)``.

    With a ``frame_map`` (see :class:`DecodeFrames`), the views are laid out
    for the clips at once, ``k x (N, C, h, w)`` -> ``(k * N, C, h, w)``: one
    copy instead of a copy here and a gather in :class:`PackVideoInputs`. The
    result is stored channels-last (as decoded).
    """
    hwc = [view.transpose(0, 2, 3, 1) for view in views]  # (M, h, w, C) each
    if frame_map is None:
        stacked = np.concatenate(hwc)
    else:
        num = len(frame_map)
        stacked = np.empty((len(views) * num, *hwc[0].shape[1:]), dtype=hwc[0].dtype)
        for k, view in enumerate(views):
            gather_frames(view, frame_map, out=stacked[k * num:(k + 1) * num])
    return stacked.transpose(0, 3, 1, 2)


class MultiCrop(FixedSizeCrop):
    """Base of the multi-crops: cut :meth:`views` from every key and stack them crop-major.

    ``frame_map`` (see :class:`DecodeFrames`) describes the layout of
    ``imgs`` only; it is applied to ``imgs`` while stacking and removed.
    """

    def views(self, imgs: np.ndarray, img_h: int, img_w: int,
              key: str = 'imgs') -> list[np.ndarray]:
        """The crop views of the frames ``(N, C, H, W)`` of ``key``, each ``(N, C, h, w)``."""
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        img_h, img_w = self.fits(results)
        frame_map = results.pop('frame_map', None) if 'imgs' in self.keys else None
        num_views = []

        def stack(imgs: np.ndarray, key: str) -> np.ndarray:
            views = self.views(imgs, img_h, img_w, key)
            num_views.append(len(views))
            return _stack_views(views, frame_map if key == 'imgs' else None)

        self.apply(results, stack)
        results['num_crops'] = num_views[0] * results.get('num_crops', 1)
        return results


@TRANSFORMS.register_module()
class ThreeCrop(MultiCrop):
    """Three ``crop_size`` windows along the longer side: start, middle, end.

    For landscape frames the windows are left, centre and right (vertically
    centred); for portrait frames top, middle and bottom. With a short-side
    resize to the crop size first, the three crops cover the whole frame.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``).

    Added keys: ``num_crops`` (3, times any earlier multi-crop).

    Modified keys: ``keys`` (``(3 * N, C, h, w)``, crop-major), ``img_shape``.

    Removed keys: ``frame_map`` (applied to ``imgs`` while stacking the views).

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
        keys: The frame arrays to crop, e.g. ``('imgs', 'flow')``.
    """

    def views(self, imgs: np.ndarray, img_h: int, img_w: int,
              key: str = 'imgs') -> list[np.ndarray]:
        height, width = self._hw
        if img_w - width >= img_h - height:  # slide along the width
            top = (img_h - height) // 2
            lefts = (0, (img_w - width) // 2, img_w - width)
            return [crop(imgs, top, left, height, width) for left in lefts]
        left = (img_w - width) // 2
        tops = (0, (img_h - height) // 2, img_h - height)
        return [crop(imgs, top, left, height, width) for top in tops]


@TRANSFORMS.register_module()
class TenCrop(FlowAware, MultiCrop):
    """Four corner and one central ``crop_size`` windows, then their mirror images.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``).

    Added keys: ``num_crops`` (10, times any earlier multi-crop).

    Modified keys: ``keys`` (``(10 * N, C, h, w)``, crop-major: top-left,
    top-right, bottom-left, bottom-right, centre, then the same flipped
    horizontally), ``img_shape``.

    Removed keys: ``frame_map`` (applied to ``imgs`` while stacking the views).

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
        keys: The frame arrays to crop, e.g. ``('imgs', 'flow')``.
        flow_keys: The keys among ``keys`` that hold flow fields, whose mirrored
            views also negate the x component (see :func:`hflip`); ``None``: those the
            pipeline declares as flow (see :class:`Flip`).
    """

    def __init__(self, crop_size: SizeLike, *, keys: Sequence[str] = ('imgs',),
                 flow_keys: Optional[Sequence[str]] = None) -> None:
        super().__init__(crop_size, keys)
        self.flow_keys = check_flow_keys(flow_keys, self.keys)

    def views(self, imgs: np.ndarray, img_h: int, img_w: int,
              key: str = 'imgs') -> list[np.ndarray]:
        height, width = self._hw
        corners = ((0, 0), (0, img_w - width), (img_h - height, 0),
                   (img_h - height, img_w - width), ((img_h - height) // 2, (img_w - width) // 2))
        views = [crop(imgs, top, left, height, width) for top, left in corners]
        flow = key in self.mirrored_flow_keys()
        return views + [hflip(view, flow) for view in views]
