"""Single-window crops: RandomCrop (train) and CenterCrop (test)."""
import numpy as np
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS

from ._spatial import SizeLike, check_fits, crop, set_imgs, to_hw


@TRANSFORMS.register_module()
class CenterCrop(BaseTransform):
    """Crop the central ``crop_size`` window of every frame.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``).

    Modified keys: ``imgs`` (``(N, C, h, w)``), ``img_shape``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    def __init__(self, crop_size: SizeLike) -> None:
        self.crop_size = crop_size
        self._hw = to_hw(crop_size, 'crop_size')

    def transform(self, results: dict) -> dict:
        height, width = self._hw
        img_h, img_w = check_fits(results, height, width, type(self).__name__)
        top, left = (img_h - height) // 2, (img_w - width) // 2
        return set_imgs(results, crop(results['imgs'], top, left, height, width))

    def __repr__(self) -> str:
        return f'{type(self).__name__}(crop_size={self.crop_size})'


@TRANSFORMS.register_module()
class RandomCrop(CenterCrop):
    """Crop one random ``crop_size`` window, the same for every frame of the clip.

    In test mode (``results['test_mode']``) it takes the central window.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``), ``test_mode`` (optional).

    Modified keys: ``imgs`` (``(N, C, h, w)``), ``img_shape``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    def transform(self, results: dict) -> dict:
        if results.get('test_mode', False):
            return super().transform(results)
        height, width = self._hw
        img_h, img_w = check_fits(results, height, width, type(self).__name__)
        top = np.random.randint(0, img_h - height + 1)
        left = np.random.randint(0, img_w - width + 1)
        return set_imgs(results, crop(results['imgs'], top, left, height, width))
