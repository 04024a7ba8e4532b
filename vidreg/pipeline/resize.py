"""Resize every frame to a fixed size or a fixed short side (OpenCV, the one implementation)."""
from collections.abc import Sequence
from typing import Literal, Optional

import cv2
import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import SpatialTransform, to_hw

_CV2_FLAGS = dict(bilinear=cv2.INTER_LINEAR, bicubic=cv2.INTER_CUBIC,
                  nearest=cv2.INTER_NEAREST_EXACT)
Interpolation = Literal['bilinear', 'bicubic', 'nearest']


def check_interpolation(interpolation: str) -> str:
    """``interpolation``, checked to be one :func:`resize_clip` knows."""
    if interpolation not in _CV2_FLAGS:
        raise ValueError(f'interpolation must be one of {list(_CV2_FLAGS)}, got '
                         f'{interpolation!r}')
    return interpolation


def cv2_flag(src_hw: tuple, dst_hw: tuple, interpolation: Interpolation,
             antialias: bool) -> int:
    """The OpenCV interpolation flag for resizing ``src_hw`` frames to ``dst_hw``.

    ``antialias=True`` shrinks (either side smaller) with ``INTER_AREA``: each output
    pixel averages the input pixels it covers, so a large shrink does not alias; it
    enlarges with the ``interpolation`` kernel. ``antialias=False`` always uses the
    ``interpolation`` kernel (``INTER_LINEAR`` / ``INTER_CUBIC``), what MMAction2
    (mmcv ``imresize``) and most video pipelines do, so models trained there see the
    same pixels; shrinking by more than 2x then aliases. ``nearest`` is the same either way.
    """
    shrinks = dst_hw[0] < src_hw[0] or dst_hw[1] < src_hw[1]
    if antialias and shrinks and interpolation != 'nearest':
        return cv2.INTER_AREA
    return _CV2_FLAGS[interpolation]


def resize_clip(imgs: np.ndarray, height: int, width: int,
                interpolation: Interpolation = 'bilinear', antialias: bool = True) -> np.ndarray:
    """Resize frames ``(N, C, H, W)`` -> ``(N, C, height, width)``, stored channels-last.

    One ``cv2.resize`` per frame on its ``(H, W, C)`` view (a view without copies for
    frames stored channels-last, as decoded), into one new array: 16 frames
    340x256 -> 170x128 take about 1 ms on one core.
    """
    if tuple(imgs.shape[-2:]) == (height, width):
        return imgs
    num, channels = imgs.shape[:2]
    flag = cv2_flag(imgs.shape[-2:], (height, width), interpolation, antialias)
    frames = imgs.transpose(0, 2, 3, 1)  # (N, H, W, C)
    out = np.empty((num, height, width, channels), dtype=imgs.dtype)
    for src, dst in zip(frames, out):
        resize_frame_into(src, dst, flag)
    return out.transpose(0, 3, 1, 2)  # (N, C, height, width)


def resize_frame_into(frame: np.ndarray, dst: np.ndarray, flag: int) -> np.ndarray:
    """``cv2.resize`` of one ``(H, W, C)`` frame into ``dst`` ``(h, w, C)`` (contiguous), any C."""
    src, plane = frame, dst
    if frame.shape[2] == 1:  # cv2 drops a channel axis of 1: work on the 2-D planes
        src, plane = frame[..., 0], dst[..., 0]
    cv2.resize(np.ascontiguousarray(src), plane.shape[1::-1], dst=plane, interpolation=flag)
    return dst


@TRANSFORMS.register_module()
class Resize(SpatialTransform):
    """Resize all frames to ``scale`` or so that the short side is ``short_side``.

    Flow fields are resized like images: their values (displacements in
    pixels of the stored flow images) are not rescaled, as in TSN and MMAction2.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``).

    Modified keys: ``keys`` (uint8 ``(N, C, H', W')``), ``img_shape``.

    Args:
        scale: Output size ``(w, h)``, ignoring the aspect ratio.
        short_side: Output short side in pixels; the other side keeps the
            aspect ratio (rounded). Give exactly one of ``scale``, ``short_side``.
        interpolation: ``'bilinear'``, ``'bicubic'`` or ``'nearest'``.
        antialias: Shrink with ``INTER_AREA`` (no aliasing); ``False`` samples
            with the ``interpolation`` kernel like OpenCV / MMAction2 (see :func:`cv2_flag`).
        keys: The frame arrays to resize, e.g. ``('imgs', 'flow')``.
    """

    def __init__(self, *, scale: Optional[tuple[int, int]] = None,
                 short_side: Optional[int] = None, interpolation: Interpolation = 'bilinear',
                 antialias: bool = True, keys: Sequence[str] = ('imgs',)) -> None:
        super().__init__(keys)
        if (scale is None) == (short_side is None):
            raise ValueError('Resize needs exactly one of scale=(w, h) and short_side=int.')
        if scale is not None:
            to_hw(tuple(scale), 'scale')
        if short_side is not None and not (isinstance(short_side, int) and short_side > 0):
            raise ValueError(f'short_side must be a positive int, got {short_side!r}')
        self.scale = None if scale is None else tuple(scale)
        self.short_side = short_side
        self.interpolation = check_interpolation(interpolation)
        self.antialias = bool(antialias)

    def output_hw(self, height: int, width: int) -> tuple[int, int]:
        """Output ``(h, w)`` for frames of ``height x width``."""
        if self.scale is not None:
            return to_hw(self.scale, 'scale')
        if height <= width:
            return self.short_side, max(1, round(width * self.short_side / height))
        return max(1, round(height * self.short_side / width)), self.short_side

    def resize_frame(self, frame: np.ndarray) -> np.ndarray:
        """Resize one ``(H, W, C)`` frame as :meth:`transform` resizes each frame of a clip."""
        height, width = self.output_hw(*frame.shape[:2])
        if (height, width) == frame.shape[:2]:
            return frame
        flag = cv2_flag(frame.shape[:2], (height, width), self.interpolation, self.antialias)
        dst = np.empty((height, width, frame.shape[2]), dtype=frame.dtype)
        return resize_frame_into(frame, dst, flag)

    def transform(self, results: dict) -> dict:
        height, width = self.output_hw(*self.frames_hw(results))
        return self.apply(results, lambda imgs, _: resize_clip(
            imgs, height, width, self.interpolation, self.antialias))
