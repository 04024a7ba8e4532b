"""RandAugment and TrivialAugment on a clip: the same operations for every frame (NumPy, OpenCV)."""
from typing import Callable, Dict, Literal, Tuple

import cv2
import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import each_frame
from .color_jitter import adjust_brightness, adjust_contrast, adjust_saturation
from .modality import Modalities
from .step import PipelineStep

Policy = Literal['none', 'rand', 'trivial']
# name -> (magnitude of the top bin as a function of (H, W), signed); torchvision's spaces
_RAND_SPACE: Dict[str, Tuple[Callable[[int, int], float], bool]] = {
    'Identity': (lambda h, w: 0.0, False), 'ShearX': (lambda h, w: 0.3, True),
    'ShearY': (lambda h, w: 0.3, True), 'TranslateX': (lambda h, w: 150 / 331 * w, True),
    'TranslateY': (lambda h, w: 150 / 331 * h, True), 'Rotate': (lambda h, w: 30.0, True),
    'Brightness': (lambda h, w: 0.9, True), 'Color': (lambda h, w: 0.9, True),
    'Contrast': (lambda h, w: 0.9, True), 'Sharpness': (lambda h, w: 0.9, True),
    'Posterize': (lambda h, w: 4, False), 'Solarize': (lambda h, w: 255.0, False),
    'AutoContrast': (lambda h, w: 0.0, False), 'Equalize': (lambda h, w: 0.0, False)}
_WIDE_SPACE = dict(_RAND_SPACE, ShearX=(lambda h, w: 0.99, True), ShearY=(lambda h, w: 0.99, True),
                   TranslateX=(lambda h, w: 32.0, True), TranslateY=(lambda h, w: 32.0, True),
                   Rotate=(lambda h, w: 135.0, True), Brightness=(lambda h, w: 0.99, True),
                   Color=(lambda h, w: 0.99, True), Contrast=(lambda h, w: 0.99, True),
                   Sharpness=(lambda h, w: 0.99, True), Posterize=(lambda h, w: 6, False))


def _warp(imgs: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Every frame of uint8 ``(N, 3, H, W)`` through the 2x3 affine ``matrix`` (nearest
    neighbour, black outside: torchvision's defaults)."""
    h, w = imgs.shape[2:]
    return each_frame(imgs, lambda f, dst: cv2.warpAffine(
        f, matrix, (w, h), dst=dst, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0)))


def _sharpness(imgs: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the smoothed frame (kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13, the border
    kept), as PIL and torchvision do."""
    kernel = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], np.float32) / 13

    def adjust(frame: np.ndarray, dst: np.ndarray) -> None:
        blurred = frame.copy()
        blurred[1:-1, 1:-1] = cv2.filter2D(frame, -1, kernel)[1:-1, 1:-1]
        cv2.addWeighted(frame, factor, blurred, 1 - factor, 0.0, dst=dst)
    return each_frame(imgs, adjust)


def _autocontrast(imgs: np.ndarray) -> np.ndarray:
    """Stretch each frame's channels to 0..255."""
    low = imgs.min(axis=(2, 3), keepdims=True).astype(np.float32)
    high = imgs.max(axis=(2, 3), keepdims=True).astype(np.float32)
    scale = np.where(high > low, 255 / np.maximum(high - low, 1), 1)
    low = np.where(high > low, low, 0)
    return np.clip((imgs - low) * scale, 0, 255).astype(np.uint8)


def _equalize(imgs: np.ndarray) -> np.ndarray:
    """Equalise the histogram of each channel of each frame (PIL's and torchvision's rule)."""
    out = np.empty(imgs.shape, np.uint8)
    for n, c in np.ndindex(imgs.shape[:2]):
        channel = imgs[n, c]
        hist = np.bincount(channel.ravel(), minlength=256)
        step = (hist.sum() - hist[np.flatnonzero(hist)[-1]]) // 255
        if step == 0:
            out[n, c] = channel
            continue
        lut = np.concatenate([[0], (np.cumsum(hist) + step // 2) // step])[:256]
        out[n, c] = np.clip(lut, 0, 255).astype(np.uint8)[channel]
    return out


def apply_op(imgs: np.ndarray, name: str, magnitude: float) -> np.ndarray:
    """One RandAugment operation on uint8 RGB frames ``(N, 3, H, W)``, the same for all.

    Args:
        imgs: The frames (not changed).
        name: A key of torchvision's augmentation space (``'ShearX'``, ``'Rotate'``, ...).
        magnitude: The signed magnitude in the operation's units (shear factor, pixels,
            degrees, enhancement ``1 + magnitude``, posterize bits, solarize threshold).

    Returns:
        New frames ``(N, 3, H, W)``.
    """
    h, w = imgs.shape[2:]
    if name == 'ShearX':
        return _warp(imgs, np.float32([[1, magnitude, 0], [0, 1, 0]]))
    if name == 'ShearY':
        return _warp(imgs, np.float32([[1, 0, 0], [magnitude, 1, 0]]))
    if name == 'TranslateX':
        return _warp(imgs, np.float32([[1, 0, int(magnitude)], [0, 1, 0]]))
    if name == 'TranslateY':
        return _warp(imgs, np.float32([[1, 0, 0], [0, 1, int(magnitude)]]))
    if name == 'Rotate':  # counter-clockwise about the centre
        return _warp(imgs, cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), magnitude, 1.0))
    if name == 'Brightness':
        return adjust_brightness(imgs, 1 + magnitude)
    if name == 'Color':
        return adjust_saturation(imgs, 1 + magnitude)
    if name == 'Contrast':
        return adjust_contrast(imgs, 1 + magnitude)
    if name == 'Sharpness':
        return _sharpness(imgs, 1 + magnitude)
    if name == 'Posterize':
        return imgs & np.uint8(0xFF ^ (2 ** (8 - int(magnitude)) - 1))
    if name == 'Solarize':
        return np.where(imgs >= magnitude, 255 - imgs, imgs).astype(np.uint8)
    if name == 'AutoContrast':
        return _autocontrast(imgs)
    if name == 'Equalize':
        return _equalize(imgs)
    if name == 'Identity':
        return imgs
    raise ValueError(f'unknown augmentation {name!r}; known: {sorted(_RAND_SPACE)}')


@TRANSFORMS.register_module()
class AugmentClip(PipelineStep):
    """RandAugment or TrivialAugment (torchvision's operations and magnitudes) on a clip.

    One draw per clip: every frame gets the same operations with the same magnitudes, so
    motion is kept. ``policy='rand'`` applies ``num_ops`` operations drawn uniformly from
    RandAugment's 14, each at bin ``magnitude`` of ``num_magnitude_bins`` (torchvision's
    ``RandAugment``); ``'trivial'`` applies one operation of the wider space at a uniformly
    drawn bin (``TrivialAugmentWide``); signed operations get a random sign; ``'none'``
    changes nothing. Draws come from numpy's RNG, which the datasets seed per sample; in
    test mode nothing changes. RGB frames only: flow fields and other modalities are never
    augmented (a geometric operation would also have to move flow vectors).

    Required keys: ``imgs`` (uint8 ``(N, 3, H, W)`` RGB), ``test_mode`` (optional).

    Modified keys: ``imgs``.

    Args:
        policy: ``'rand'``, ``'trivial'`` or ``'none'``.
        num_ops: Operations per clip (``'rand'``).
        magnitude: The magnitude bin, 0 .. ``num_magnitude_bins - 1`` (``'rand'``).
        num_magnitude_bins: Bins from 0 to each operation's largest magnitude.
    """

    accepts_frame_map = True  # treats every frame alike (see DecodeFrames)

    def __init__(self, *, policy: Policy = 'rand', num_ops: int = 2, magnitude: int = 9,
                 num_magnitude_bins: int = 31) -> None:
        if policy not in ('none', 'rand', 'trivial'):
            raise ValueError(f"AugmentClip: policy must be 'rand', 'trivial' or 'none', got "
                             f'{policy!r}')
        if num_magnitude_bins < 2 or not 0 <= magnitude < num_magnitude_bins or num_ops < 0:
            raise ValueError(f'AugmentClip: need num_ops >= 0 and 0 <= magnitude < '
                             f'num_magnitude_bins (>= 2), got {num_ops}, {magnitude}, '
                             f'{num_magnitude_bins}')
        self.policy, self.num_ops = policy, num_ops
        self.magnitude, self.num_magnitude_bins = magnitude, num_magnitude_bins

    def modalities(self, specs: Modalities) -> Modalities:
        """Checks that ``imgs`` holds RGB frames."""
        if 'imgs' in specs and specs['imgs'].kind != 'rgb':
            raise ValueError(f"AugmentClip augments RGB frames, but 'imgs' holds "
                             f'{specs["imgs"].kind!r}; remove it from this pipeline.')
        return specs

    def magnitude_of(self, name: str, bin_index: int, height: int, width: int) -> float:
        """The unsigned magnitude of operation ``name`` at ``bin_index`` (torchvision's bins)."""
        space = _RAND_SPACE if self.policy == 'rand' else _WIDE_SPACE
        top = space[name][0](height, width)
        if name == 'Posterize':  # 8 bits at bin 0 down to 8 - top at the last bin
            return 8 - round(bin_index / ((self.num_magnitude_bins - 1) / top))
        if name == 'Solarize':  # the threshold falls from 255 to 0
            return top * (1 - bin_index / (self.num_magnitude_bins - 1))
        return top * bin_index / (self.num_magnitude_bins - 1)

    def transform(self, results: dict) -> dict:
        if results.get('test_mode', False) or self.policy == 'none':
            return results
        imgs = results['imgs']
        space = _RAND_SPACE if self.policy == 'rand' else _WIDE_SPACE
        names = sorted(space)
        for _ in range(self.num_ops if self.policy == 'rand' else 1):
            name = names[np.random.randint(len(names))]
            bin_index = (self.magnitude if self.policy == 'rand'
                         else np.random.randint(self.num_magnitude_bins))
            magnitude = self.magnitude_of(name, bin_index, *imgs.shape[2:])
            if space[name][1] and np.random.rand() < 0.5:
                magnitude = -magnitude
            imgs = apply_op(imgs, name, magnitude)
        results['imgs'] = imgs
        return results


