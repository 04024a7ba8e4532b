"""The keyed base of the spatial transforms, and the size parsing, cropping, frame gathering and
per-frame OpenCV mapping they share."""
from collections.abc import Callable, Sequence
from typing import Optional, Union

import numpy as np

from .step import PipelineStep

SizeLike = Union[int, tuple[int, int]]


def to_hw(size: SizeLike, name: str) -> tuple[int, int]:
    """Turn an ``int`` (square) or ``(w, h)`` size into ``(h, w)``, checked positive."""
    if isinstance(size, int):
        height = width = size
    else:
        width, height = size
    if not (isinstance(height, int) and isinstance(width, int) and height > 0 and width > 0):
        raise ValueError(f'{name} must be a positive int or a (w, h) pair of them, got {size!r}')
    return height, width


def check_keys(keys: Sequence[str], name: str = 'keys') -> tuple[str, ...]:
    """``keys`` as a tuple of distinct non-empty strings (a single string is refused)."""
    if isinstance(keys, str) or not keys or not all(isinstance(k, str) and k for k in keys):
        raise ValueError(f"{name} must be a non-empty sequence of key names, e.g. ('imgs',), "
                         f'got {keys!r}')
    if len(set(keys)) != len(keys):
        raise ValueError(f'{name} must not repeat a key, got {keys!r}')
    return tuple(keys)


def frames_hw(results: dict, keys: Sequence[str], name: str) -> tuple[int, int]:
    """The ``(H, W)`` shared by the frame arrays of ``keys``, checked present and equal."""
    sizes = {}
    for key in keys:
        if key not in results:
            raise KeyError(f'{name}: the sample of {results.get("filename")!r} has no key '
                           f'{key!r} (it has {sorted(results)}); fix keys={tuple(keys)!r} or '
                           f'add the step that makes {key!r}.')
        sizes[key] = tuple(results[key].shape[-2:])
    if len(set(sizes.values())) > 1:
        raise ValueError(f'{name}: the frames of keys {tuple(keys)!r} differ in size {sizes} for '
                         f'{results.get("filename")!r}; all keys of one sample share one '
                         f'window, so give them the same (H, W) first.')
    return sizes[keys[0]]


def check_fits(results: dict, height: int, width: int, name: str,
               keys: Sequence[str] = ('imgs',)) -> tuple[int, int]:
    """The current ``(H, W)`` of the ``keys``, checked to hold a ``height x width`` crop."""
    img_h, img_w = frames_hw(results, keys, name)
    if height > img_h or width > img_w:
        raise ValueError(
            f'{name}: crop {width}x{height} (w x h) exceeds the {img_w}x{img_h} frames of '
            f"{results.get('filename')!r}; put a Resize before it.")
    return img_h, img_w


def crop(imgs: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """Crop the same window from every frame: ``(N, C, H, W)`` -> ``(N, C, height, width)``,
    a view."""
    return imgs[..., top:top + height, left:left + width]


def check_flow_keys(flow_keys: Optional[Sequence[str]], keys: Sequence[str]
                    ) -> Optional[tuple[str, ...]]:
    """``flow_keys`` as a tuple, checked to be among ``keys`` (``None`` stays ``None``)."""
    if flow_keys is None:
        return None
    if isinstance(flow_keys, str):
        raise ValueError(f"flow_keys must be a sequence of key names, e.g. ('flow',), "
                         f'got {flow_keys!r}')
    missing = [key for key in flow_keys if key not in keys]
    if missing:
        raise ValueError(f'flow_keys {missing} are not among keys={tuple(keys)!r}; '
                         f'list every flow key in keys too.')
    return tuple(flow_keys)


class FlowAware:
    """Mixin of the mirroring steps (``Flip``, ``TenCrop``): which of their keys hold flow
    fields, whose x a mirror negates.

    ``flow_keys=None`` takes them from the pipeline (:meth:`modalities`: the keys of kind
    ``'flow'``); a given ``flow_keys`` must agree with it. A step used outside a
    :class:`~vidreg.pipeline.Compose` knows only a given ``flow_keys``.
    """

    keys: tuple[str, ...]
    flow_keys: Optional[tuple[str, ...]]

    def mirrored_flow_keys(self) -> tuple[str, ...]:
        """The keys whose x is negated when mirrored."""
        planned = getattr(self, '_planned_flow_keys', None)
        return planned if planned is not None else (self.flow_keys or ())

    def modalities(self, specs: dict) -> dict:
        declared = tuple(key for key in self.keys if key in specs and specs[key].kind == 'flow')
        if self.flow_keys is not None:
            disagree = [key for key in self.keys if key in specs
                        and (key in self.flow_keys) != (key in declared)]
            if disagree:
                raise ValueError(
                    f'{type(self).__name__}(flow_keys={self.flow_keys}) disagrees with the '
                    f'pipeline, whose flow fields among keys={self.keys} are {declared}; drop '
                    f'flow_keys (the pipeline says which keys hold flow).')
        self._planned_flow_keys = declared if self.flow_keys is None else self.flow_keys
        return specs


def hflip(imgs: np.ndarray, flow: bool = False) -> np.ndarray:
    """Mirror frames ``(N, C, H, W)`` left-right; for a flow field also negate x.

    A flow field is uint8 ``(N, 2, H, W)``, x then y, quantised symmetrically
    about 127.5 (``docs/architecture.md``, "Optical flow fields"), so negating x is
    ``255 - x``, exact. Plain frames come back as a view; flow fields as a new
    array (the input is never written).
    """
    flipped = imgs[..., ::-1]
    if not flow:
        return flipped
    if imgs.shape[-3] != 2:
        raise ValueError(f'a flow field is (N, 2, H, W) (x, y), got {tuple(imgs.shape)}')
    out = np.empty(imgs.shape[:1] + imgs.shape[2:] + imgs.shape[1:2], imgs.dtype)  # (N, H, W, 2)
    out = out.transpose(0, 3, 1, 2)  # (N, 2, H, W), channels-last as decoded
    np.subtract(255, flipped[:, :1], out=out[:, :1])
    out[:, 1:] = flipped[:, 1:]
    return out


def set_imgs(results: dict, imgs: np.ndarray, key: str = 'imgs') -> dict:
    """Store new frames under ``key`` and keep ``img_shape`` current."""
    results[key] = imgs
    results['img_shape'] = tuple(imgs.shape[-2:])
    return results


class SpatialTransform(PipelineStep):
    """Base of the transforms that change every frame of the frame arrays under ``keys``.

    Each sample draws ONE set of random parameters (window, flip, ...) in
    :meth:`transform` and applies it to every key with :meth:`apply`, so the
    RGB frames and, say, the flow fields of a clip get the same crop. Every
    key holds uint8 ``(N, C, H, W)`` frames of one size (C may differ: 3 for
    RGB, 2 for a flow field, see ``docs/architecture.md``).

    Args:
        keys: The frame arrays to transform, e.g. ``('imgs', 'flow')``.
    """

    accepts_frame_map = True  # one set of parameters for all frames (see DecodeFrames)

    def __init__(self, keys: Sequence[str] = ('imgs',)) -> None:
        self.keys = check_keys(keys)

    def frames_hw(self, results: dict) -> tuple[int, int]:
        """The ``(H, W)`` shared by the frames of :attr:`keys`."""
        return frames_hw(results, self.keys, type(self).__name__)

    def apply(self, results: dict, fn: Callable[[np.ndarray, str], np.ndarray]) -> dict:
        """Replace each key's frames by ``fn(frames, key)``; keep ``img_shape`` current."""
        for key in self.keys:
            set_imgs(results, fn(results[key], key), key)
        return results


def gather_frames(imgs: np.ndarray, frame_map: np.ndarray,
                  out: Optional[np.ndarray] = None) -> np.ndarray:
    """Distinct frames laid out as clips: ``(M, C, H, W)`` -> ``imgs[frame_map]`` ``(N, C, H, W)``.

    One copy, on the ``(H, W, C)`` view, so the result is channels-last (as
    decoded). ``np.take(mode='clip')`` writes unbuffered: 10x faster than its
    default mode (the indices from :class:`DecodeFrames` are always valid).

    Args:
        imgs: Distinct frames ``(M, C, H, W)``.
        frame_map: int64 ``(N,)`` indices into ``imgs``.
        out: Optional ``(N, H, W, C)`` contiguous array to write into.
    """
    frames = imgs.transpose(0, 2, 3, 1)  # (M, H, W, C)
    if out is None:
        out = np.empty((len(frame_map), *frames.shape[1:]), dtype=frames.dtype)
    np.take(frames, frame_map, axis=0, out=out, mode='clip')
    return out.transpose(0, 3, 1, 2)


class FixedSizeCrop(SpatialTransform):
    """Base of the crops of a fixed ``crop_size``: argument checking.

    Args:
        crop_size: ``int`` for a square, or ``(w, h)``.
        keys: The frame arrays to crop, all with the same window.
    """

    def __init__(self, crop_size: SizeLike, keys: Sequence[str] = ('imgs',)) -> None:
        super().__init__(keys)
        self.crop_size = crop_size
        self._hw = to_hw(crop_size, 'crop_size')  # (h, w)

    def fits(self, results: dict) -> tuple[int, int]:
        """The frames' ``(H, W)``, checked to hold the crop."""
        return check_fits(results, *self._hw, type(self).__name__, self.keys)


def each_frame(imgs: np.ndarray, adjust: Callable[[np.ndarray, np.ndarray], object]
               ) -> np.ndarray:
    """Apply ``adjust(frame (H, W, 3), dst (H, W, 3))``, an OpenCV call that writes ``dst``,
    to every frame of uint8 ``(N, 3, H, W)``; the result is a new array stored channels-last
    (the colour and geometry operations of ``ColorJitter`` and ``AugmentClip``)."""
    frames = imgs.transpose(0, 2, 3, 1)  # (N, H, W, 3), a view for channels-last frames
    out = np.empty(frames.shape, dtype=np.uint8)
    for frame, dst in zip(frames, out):
        adjust(np.ascontiguousarray(frame), dst)
    return out.transpose(0, 3, 1, 2)  # (N, 3, H, W)
