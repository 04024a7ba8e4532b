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
:class:`~vidreg.datasets.transforms.Flip` does to x). Zero flow is stored as
128 and reads back as ``+s / 2``; the usual ``(f + bound) * 255 / (2 * bound)``
images truncated to uint8 differ by at most one level.
"""
import numpy as np


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
