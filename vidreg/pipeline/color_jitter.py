"""Random brightness, contrast, saturation and hue, one draw per clip."""
import cv2
import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.v2.functional as F
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS


def adjust_hue(imgs: torch.Tensor, hue_shift: float) -> torch.Tensor:
    """Rotate the hue of uint8 RGB frames ``(N, 3, H, W)`` by ``hue_shift`` turns.

    Uses OpenCV's uint8 HSV (hue in 2-degree steps), about 10x faster than
    torchvision's float ``adjust_hue``.
    """
    shift = int(round(hue_shift * 180)) % 180
    if shift == 0:
        return imgs
    frames = imgs.permute(0, 2, 3, 1).numpy()  # (N, H, W, 3), a view for channels_last
    out = np.empty(frames.shape, dtype=np.uint8)
    for frame, dst in zip(frames, out):
        hsv = cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2HSV)
        hsv[..., 0] = (hsv[..., 0].astype(np.int16) + shift) % 180
        cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB, dst=dst)
    return torch.from_numpy(out).permute(0, 3, 1, 2)  # (N, 3, H, W), channels_last


@TRANSFORMS.register_module()
class ColorJitter(BaseTransform):
    """Jitter brightness, contrast, saturation and hue, the same for all frames of a clip.

    Factors are drawn once per clip: brightness, contrast and saturation from
    ``[max(0, 1 - x), 1 + x]``, the hue shift from ``[-hue, hue]`` turns; the
    four adjustments run in a random order. The draw is torchvision's
    ``ColorJitter.get_params`` (torch's RNG); the hue shift runs on OpenCV.
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
        # torchvision's draw (torch's RNG, seeded per sample like numpy's: exact resume holds).
        order, *factors = T.ColorJitter.get_params(
            *[None if amount == 0 else [max(0.0, 1 - amount), 1 + amount]
              for amount in (self.brightness, self.contrast, self.saturation)],
            None if self.hue == 0 else [-self.hue, self.hue])
        adjusts = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, adjust_hue)
        imgs = results['imgs']
        for k in order.tolist():
            if factors[k] is not None:
                imgs = adjusts[k](imgs, float(factors[k]))
        results['imgs'] = imgs
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(brightness={self.brightness}, contrast={self.contrast}, '
                f'saturation={self.saturation}, hue={self.hue})')
