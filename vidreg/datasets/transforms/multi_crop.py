"""Multi-crop testing views: ThreeCrop and TenCrop."""
import torch
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS

from ._spatial import SizeLike, check_fits, crop, set_imgs, to_hw


def _stack_views(results: dict, views: list[torch.Tensor]) -> dict:
    """Stack crop views crop-major: ``k x (N, C, h, w)`` -> ``(k * N, C, h, w)``."""
    results['num_crops'] = len(views) * results.get('num_crops', 1)
    return set_imgs(results, torch.cat(views, dim=0))


@TRANSFORMS.register_module()
class ThreeCrop(BaseTransform):
    """Three ``crop_size`` windows along the longer side: start, middle, end.

    For landscape frames the windows are left, centre and right (vertically
    centred); for portrait frames top, middle and bottom. With a short-side
    resize to the crop size first, the three crops cover the whole frame.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``).

    Added keys: ``num_crops`` (3, times any earlier multi-crop).

    Modified keys: ``imgs`` (``(3 * N, C, h, w)``, crop-major), ``img_shape``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    def __init__(self, crop_size: SizeLike) -> None:
        self.crop_size = crop_size
        self._hw = to_hw(crop_size, 'crop_size')

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

    def __repr__(self) -> str:
        return f'{type(self).__name__}(crop_size={self.crop_size})'


@TRANSFORMS.register_module()
class TenCrop(ThreeCrop):
    """Four corner and one central ``crop_size`` windows, then their mirror images.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``).

    Added keys: ``num_crops`` (10, times any earlier multi-crop).

    Modified keys: ``imgs`` (``(10 * N, C, h, w)``, crop-major: top-left,
    top-right, bottom-left, bottom-right, centre, then the same flipped
    horizontally), ``img_shape``.

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
