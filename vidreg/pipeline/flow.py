"""vidreg's optical-flow image convention: uint8 fields quantised symmetrically about 127.5.

A flow field key of a sample (e.g. ``flow``) holds uint8 ``(N, 2, H, W)``:
channel 0 is the x (horizontal, rightwards) displacement, channel 1 the y
(downwards) one, in pixels of the stored images. With ``bound`` the largest
magnitude kept (TV-L1 extractions use 20), the step is
``s = 2 * bound / 255`` and

    q = clip(floor(f / s + 128), 0, 255)      (round half up of f / s + 127.5)
    f' = (q - 127.5) * s                        (the centre of q's interval)

so the 256 levels sit symmetrically about 0 and ``f'(255 - q) == -f'(q)``
exactly: negating a stored flow component is ``q -> 255 - q`` (what
:class:`~vidreg.pipeline.Flip` does to x). Zero flow is stored as
128 and reads back as ``+s / 2``; the usual ``(f + bound) * 255 / (2 * bound)``
images truncated to uint8 differ by at most one level.

Flow is computed here with OpenCV, for ``OpticalFlow`` (in training, testing and the
torch-free deployment runner alike) and for the extraction of flow images.
"""
from typing import Callable, Literal

import cv2
import numpy as np

# OpenCV's Farneback arguments as in the seed (pyr_scale, levels, winsize, iterations, poly_n,
# poly_sigma, flags).
FARNEBACK_ARGS = (0.5, 3, 15, 3, 5, 1.2, 0)

FlowFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def flow_function(method: Literal['dis', 'farneback'] = 'dis',
                  preset: Literal['ultrafast', 'fast', 'medium'] = 'fast') -> FlowFn:
    """``(prev, next)`` gray uint8 (H, W) -> float32 flow (H, W, 2) (x, y) in pixels.

    DIS (``cv2.DISOpticalFlow`` with ``preset``) or Farneback (:data:`FARNEBACK_ARGS`).
    The OpenCV object is built here, so build it where it is used (it does not pickle).
    """
    if method == 'farneback':
        return lambda prev, nxt: cv2.calcOpticalFlowFarneback(prev, nxt, None, *FARNEBACK_ARGS)
    dis = cv2.DISOpticalFlow_create(getattr(cv2, f'DISOPTICAL_FLOW_PRESET_{preset.upper()}'))
    return lambda prev, nxt: dis.calc(prev, nxt, None)


def clip_flow_levels(frames: np.ndarray, flow: FlowFn, bound: float,
                     subtract_mean: bool = False) -> np.ndarray:
    """Quantised flow between consecutive frames of one clip.

    Args:
        frames: uint8 RGB ``(T, H, W, 3)``.
        flow: From :func:`flow_function`.
        bound: See :func:`quantize_flow`.
        subtract_mean: Remove each field's mean displacement first
            (:func:`subtract_mean_flow`, camera motion).

    Returns:
        uint8 ``(T - 1, 2, H, W)``, x then y per pair, computed on ``COLOR_RGB2GRAY`` frames.
    """
    grays = [cv2.cvtColor(np.ascontiguousarray(f), cv2.COLOR_RGB2GRAY) for f in frames]
    fields = []
    for t in range(len(grays) - 1):
        field = flow(grays[t], grays[t + 1]).transpose(2, 0, 1)  # (2, H, W)
        fields.append(quantize_flow(subtract_mean_flow(field) if subtract_mean else field, bound))
    return np.stack(fields)


def subtract_mean_flow(field: np.ndarray) -> np.ndarray:
    """A flow field (2, H, W) (x, y) minus its mean displacement vector (Simonyan & Zisserman's
    camera-motion compensation: each component's spatial mean is subtracted)."""
    field = np.asarray(field, dtype=np.float32)
    return field - field.mean(axis=(1, 2), keepdims=True)


def quantize_flow(flow: np.ndarray, bound: float = 20.0) -> np.ndarray:
    """Flow in pixels, any shape, -> uint8 levels of the same shape (see the module doc)."""
    if not bound > 0:
        raise ValueError(f'bound must be > 0, got {bound!r}')
    levels = np.floor(np.asarray(flow, dtype=np.float64) * (255 / (2 * bound)) + 128)
    return np.clip(levels, 0, 255).astype(np.uint8)


def dequantize_flow(levels: np.ndarray, bound: float = 20.0) -> np.ndarray:
    """uint8 levels -> float32 flow in pixels, the centre of each level's interval."""
    if not bound > 0:
        raise ValueError(f'bound must be > 0, got {bound!r}')
    return ((np.asarray(levels, dtype=np.float32) - 127.5) * (2 * bound / 255)).astype(np.float32)
