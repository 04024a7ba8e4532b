"""Single-window crops: RandomCrop (train) and CenterCrop (test)."""
import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import FixedSizeCrop, crop


@TRANSFORMS.register_module()
class CenterCrop(FixedSizeCrop):
    """Crop the central ``crop_size`` window of every frame.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``).

    Modified keys: ``keys`` (``(N, C, h, w)``), ``img_shape``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
        keys: The frame arrays to crop, e.g. ``('imgs', 'flow')``.
    """

    def transform(self, results: dict) -> dict:
        height, width = self._hw
        img_h, img_w = self.fits(results)
        top, left = (img_h - height) // 2, (img_w - width) // 2
        return self.apply(results, lambda imgs, _: crop(imgs, top, left, height, width))


@TRANSFORMS.register_module()
class RandomCrop(CenterCrop):
    """Crop one random ``crop_size`` window, the same for every frame and key of the sample.

    In test mode (``results['test_mode']``) it takes the central window.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``),
    ``test_mode`` (optional).

    Modified keys: ``keys`` (``(N, C, h, w)``), ``img_shape``.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
        keys: The frame arrays to crop, e.g. ``('imgs', 'flow')``.
    """

    def transform(self, results: dict) -> dict:
        if results.get('test_mode', False):
            return super().transform(results)
        height, width = self._hw
        img_h, img_w = self.fits(results)
        top = np.random.randint(0, img_h - height + 1)
        left = np.random.randint(0, img_w - width + 1)
        return self.apply(results, lambda imgs, _: crop(imgs, top, left, height, width))
