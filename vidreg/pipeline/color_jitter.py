"""Random brightness, contrast, saturation and hue, one draw per clip."""
import cv2
import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import each_frame
from .step import PipelineStep


def adjust_brightness(imgs: np.ndarray, factor: float) -> np.ndarray:
    """``factor * x`` of uint8 RGB frames ``(N, 3, H, W)``, saturated."""
    return each_frame(imgs, lambda f, dst: cv2.addWeighted(f, factor, f, 0.0, 0.0, dst=dst))


def adjust_contrast(imgs: np.ndarray, factor: float) -> np.ndarray:
    """Blend each frame with its mean gray level: ``factor * x + (1 - factor) * mean``."""
    def adjust(frame: np.ndarray, dst: np.ndarray) -> None:
        mean = float(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).mean())
        cv2.addWeighted(frame, factor, frame, 0.0, (1 - factor) * mean, dst=dst)
    return each_frame(imgs, adjust)


def adjust_saturation(imgs: np.ndarray, factor: float) -> np.ndarray:
    """Blend each frame with its gray image: ``factor * x + (1 - factor) * gray``."""
    def adjust(frame: np.ndarray, dst: np.ndarray) -> None:
        gray = cv2.cvtColor(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
        cv2.addWeighted(frame, factor, gray, 1 - factor, 0.0, dst=dst)
    return each_frame(imgs, adjust)


def adjust_hue(imgs: np.ndarray, hue_shift: float) -> np.ndarray:
    """Rotate the hue of uint8 RGB frames ``(N, 3, H, W)`` by ``hue_shift`` turns.

    OpenCV's uint8 HSV (hue in 2-degree steps).
    """
    shift = int(round(hue_shift * 180)) % 180
    if shift == 0:
        return imgs

    def adjust(frame: np.ndarray, dst: np.ndarray) -> None:
        hsv = cv2.cvtColor(frame, cv2.COLOR_RGB2HSV)
        hsv[..., 0] = (hsv[..., 0].astype(np.int16) + shift) % 180
        cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB, dst=dst)
    return each_frame(imgs, adjust)


@TRANSFORMS.register_module()
class ColorJitter(PipelineStep):
    """Jitter brightness, contrast, saturation and hue, the same for all frames of a clip.

    Factors are drawn once per clip: brightness, contrast and saturation from
    ``[max(0, 1 - x), 1 + x]``, the hue shift from ``[-hue, hue]`` turns; the
    four adjustments run in a random order (torchvision's recipe, drawn from
    numpy's RNG, which the datasets seed per sample). The adjustments run on OpenCV.
    A value of 0 disables that adjustment. In test mode nothing changes.

    Required keys: ``imgs`` (uint8 ``(N, 3, H, W)`` RGB), ``test_mode`` (optional).

    Modified keys: ``imgs``.

    Args:
        brightness: Maximum relative brightness change, >= 0.
        contrast: Maximum relative contrast change, >= 0.
        saturation: Maximum relative saturation change, >= 0.
        hue: Maximum hue shift in turns, in ``[0, 0.5]``.
    """

    accepts_frame_map = True  # treats every frame alike (see DecodeFrames)

    def __init__(self, *, brightness: float = 0.0, contrast: float = 0.0,
                 saturation: float = 0.0, hue: float = 0.0) -> None:
        for name, value in dict(brightness=brightness, contrast=contrast,
                                saturation=saturation).items():
            if value < 0:
                raise ValueError(f'{name} must be >= 0, got {value!r}')
        if not 0 <= hue <= 0.5:
            raise ValueError(f'hue must be in [0, 0.5], got {hue!r}')
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue

    def transform(self, results: dict) -> dict:
        if results.get('test_mode', False):
            return results
        factors = [None if amount == 0 else np.random.uniform(max(0.0, 1 - amount), 1 + amount)
                   for amount in (self.brightness, self.contrast, self.saturation)]
        factors.append(None if self.hue == 0 else np.random.uniform(-self.hue, self.hue))
        adjusts = (adjust_brightness, adjust_contrast, adjust_saturation, adjust_hue)
        imgs = results['imgs']
        for k in np.random.permutation(4):
            if factors[k] is not None:
                imgs = adjusts[k](imgs, float(factors[k]))
        results['imgs'] = imgs
        return results
