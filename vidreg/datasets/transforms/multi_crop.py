"""Multi-crop testing views: ThreeCrop and TenCrop."""
import numpy as np
import torch

from vidreg.registry import TRANSFORMS

from ._spatial import FixedSizeCrop, check_fits, crop, gather_frames, set_imgs


def _stack_views(results: dict, views: list[torch.Tensor]) -> dict:
    """Stack crop views crop-major: ``k x (M, C, h, w)`` -> ``(k * M, C, h, w)``.

    With a ``frame_map`` (see :class:`DecodeFrames`), the views are laid out
    for the clips at once, ``k x (N, C, h, w)`` -> ``(k * N, C, h, w)``, and
    the map is consumed: one copy instead of a copy here and a gather in
    :class:`PackVideoInputs`. The result stays channels-last (as decoded).
    """
    results['num_crops'] = len(views) * results.get('num_crops', 1)
    frame_map = results.pop('frame_map', None)
    hwc = [view.permute(0, 2, 3, 1) for view in views]  # (M, h, w, C) each
    if frame_map is None:
        stacked = torch.cat(hwc)
    else:
        num = len(frame_map)
        out = np.empty((len(views) * num, *hwc[0].shape[1:]), dtype=hwc[0].numpy().dtype)
        for k, view in enumerate(views):
            gather_frames(view, frame_map, out=out[k * num:(k + 1) * num])
        stacked = torch.from_numpy(out)
    return set_imgs(results, stacked.permute(0, 3, 1, 2))


@TRANSFORMS.register_module()
class ThreeCrop(FixedSizeCrop):
    """Three ``crop_size`` windows along the longer side: start, middle, end.

    For landscape frames the windows are left, centre and right (vertically
    centred); for portrait frames top, middle and bottom. With a short-side
    resize to the crop size first, the three crops cover the whole frame.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``).

    Added keys: ``num_crops`` (3, times any earlier multi-crop).

    Modified keys: ``imgs`` (``(3 * N, C, h, w)``, crop-major), ``img_shape``.

    Removed keys: ``frame_map`` (applied while stacking the views).

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    def transform(self, results: dict) -> dict:
        height, width = self._hw
        img_h, img_w = check_fits(results, height, width, type(self).__name__)
        imgs = results['imgs']
        if img_w - width >= img_h - height:  # slide along the width
            top = (img_h - height) // 2
            lefts = (0, (img_w - width) // 2, img_w - width)
            views = [crop(imgs, top, left, height, width) for left in lefts]
        else:
            left = (img_w - width) // 2
            tops = (0, (img_h - height) // 2, img_h - height)
            views = [crop(imgs, top, left, height, width) for top in tops]
        return _stack_views(results, views)


@TRANSFORMS.register_module()
class TenCrop(ThreeCrop):
    """Four corner and one central ``crop_size`` windows, then their mirror images.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``).

    Added keys: ``num_crops`` (10, times any earlier multi-crop).

    Modified keys: ``imgs`` (``(10 * N, C, h, w)``, crop-major: top-left,
    top-right, bottom-left, bottom-right, centre, then the same flipped
    horizontally), ``img_shape``.

    Removed keys: ``frame_map`` (applied while stacking the views).

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    def transform(self, results: dict) -> dict:
        height, width = self._hw
        img_h, img_w = check_fits(results, height, width, type(self).__name__)
        imgs = results['imgs']
        corners = ((0, 0), (0, img_w - width), (img_h - height, 0),
                   (img_h - height, img_w - width), ((img_h - height) // 2, (img_w - width) // 2))
        views = [crop(imgs, top, left, height, width) for top, left in corners]
        views += [torch.flip(view, dims=(-1,)) for view in views]
        return _stack_views(results, views)
