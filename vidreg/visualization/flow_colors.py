"""Optical flow as a colour picture: direction is hue, speed is brightness."""
from typing import Optional

import cv2
import numpy as np

__all__ = ['flow_to_rgb']


def flow_to_rgb(flow: np.ndarray, max_magnitude: Optional[float] = None) -> np.ndarray:
    """Colour-code a flow field the usual way (HSV: hue = direction, value = speed).

    Rightwards motion is red, downwards yellow-green, leftwards cyan, upwards blue-violet
    (OpenCV's hue circle, image y pointing down); still pixels are black.

    Args:
        flow: float (H, W, 2), x then y displacement in pixels.
        max_magnitude: Speed shown at full brightness; ``None`` uses the field's largest
            speed (so a still field stays black). Faster pixels saturate.

    Returns:
        uint8 RGB image (H, W, 3).
    """
    flow = np.asarray(flow, dtype=np.float32)
    if flow.ndim != 3 or flow.shape[2] != 2:
        raise ValueError(f'flow must be (H, W, 2), got shape {flow.shape}')
    magnitude, angle = cv2.cartToPolar(flow[..., 0], flow[..., 1], angleInDegrees=True)
    top = float(magnitude.max()) if max_magnitude is None else float(max_magnitude)
    hsv = np.empty((*flow.shape[:2], 3), dtype=np.uint8)
    hsv[..., 0] = (angle / 2).astype(np.uint8)  # OpenCV hue is 0-179 for 0-358 degrees
    hsv[..., 1] = 255
    scale = 255.0 / top if top > 0 else 0.0
    hsv[..., 2] = np.clip(magnitude * scale, 0, 255).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
