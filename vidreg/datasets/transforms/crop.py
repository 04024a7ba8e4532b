"""Single-window crops: RandomCrop (train) and CenterCrop (test)."""
import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import FixedSizeCrop, check_fits, crop, set_imgs


@TRANSFORMS.register_module()
class CenterCrop(FixedSizeCrop):
    """Crop the central ``crop_size`` window of every frame.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``).

    Modified keys: ``imgs`` (``(N, C, h, w)``), ``img_shape``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
    """

    def transform(self, results: dict) -> dict:
        height, width = self._hw
        img_h, img_w = check_fits(results, height, width, type(self).__name__)
        top, left = (img_h - height) // 2, (img_w - width) // 2
        return set_imgs(results, crop(results['imgs'], top, left, height, width))


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
