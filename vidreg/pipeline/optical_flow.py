"""Optical flow computed while the data loads (OpenCV DIS or Farneback), stored as flow images."""
from typing import Literal

import numpy as np

from vidreg.registry import TRANSFORMS

from ._clips import clip_frames
from .flow import clip_flow_levels, flow_function
from .modality import FLOW_FIELDS, Modalities
from .step import PipelineStep


@TRANSFORMS.register_module()
class OpticalFlow(PipelineStep):
    """Dense flow between consecutive frames of each clip, as uint8 flow images.

    A clip of T frames gives T - 1 fields (``L = T - 1`` pairs, Simonyan & Zisserman's
    stack; ``FramesToChannels`` then stacks them as 2L channels). Each field is
    computed on the gray frames (``COLOR_RGB2GRAY``) and quantised as flow images
    are (``vidreg/pipeline/flow.py``: ``clip(floor(f / s + 128), 0, 255)`` with
    ``s = 2 * bound / 255``), so flow computed here and flow images extracted with
    ``tools/extract_flow.py`` at the same size give the network the same input.
    Values are in pixels of the frames it sees: put it after ``Resize`` (cheaper, and
    what extraction at that size gives), before crops and ``Flip`` (which negates the x
    of the flow fields it declares, kind ``'flow'``).

    Costs (one core, 320x240): DIS ``ultrafast`` / ``fast`` about 1-3 ms per pair,
    ``medium`` about 10 ms, Farneback about 20-30 ms.

    Required keys: ``key`` (uint8 ``(V * T, 3, H, W)`` RGB), ``num_clips``,
    ``num_crops`` (optional), ``frame_map`` (optional, applied).

    Added keys: ``out_key`` (uint8 ``(V * (T - 1), 2, H, W)``: x then y per pair).

    Args:
        method: ``'dis'`` (OpenCV DISOpticalFlow) or ``'farneback'``.
        preset: DIS preset (``'ultrafast'``, ``'fast'``, ``'medium'``); ignored by Farneback.
        bound: Largest magnitude kept, in pixels (TV-L1 extractions use 20).
        subtract_mean: Subtract each field's mean displacement (x and y) before it is
            quantised: global camera motion (a pan) is removed, motion relative to the
            scene stays (Simonyan & Zisserman's mean flow subtraction). Off by default.
        key: The RGB frames to read.
        out_key: Where the flow fields go.
    """

    accepts_frame_map = True  # applies frame_map itself

    def __init__(self, *, method: Literal['dis', 'farneback'] = 'dis',
                 preset: Literal['ultrafast', 'fast', 'medium'] = 'fast', bound: float = 20.0,
                 subtract_mean: bool = False, key: str = 'imgs', out_key: str = 'flow') -> None:
        if method not in ('dis', 'farneback'):
            raise ValueError(f"method must be 'dis' or 'farneback', got {method!r}")
        if preset not in ('ultrafast', 'fast', 'medium'):
            raise ValueError(f"preset must be 'ultrafast', 'fast' or 'medium', got {preset!r}")
        if not bound > 0:
            raise ValueError(f'bound must be > 0, got {bound!r}')
        self.method, self.preset, self.bound = method, preset, bound
        self.subtract_mean = subtract_mean
        self.key, self.out_key = key, out_key
        self._flow = None  # built on first use: OpenCV objects do not pickle to workers

    def flow(self, prev: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        """Flow of two gray uint8 frames (H, W) in pixels, float32 (H, W, 2) (x, y)."""
        if self._flow is None:
            self._flow = flow_function(self.method, self.preset)
        return self._flow(prev, nxt)

    def transform(self, results: dict) -> dict:
        clips = clip_frames(results, self.key, type(self).__name__)  # (V, T, 3, H, W)
        num_views, num_frames = clips.shape[:2]
        if num_frames < 2 or clips.shape[2] != 3:
            raise ValueError(f'OpticalFlow needs clips of >= 2 RGB frames, got (V, T, C, H, W) '
                             f'= {tuple(clips.shape)} for {results.get("filename")!r}.')
        frames = clips.transpose(0, 1, 3, 4, 2)  # (V, T, H, W, 3)
        out = np.stack([clip_flow_levels(clip, self.flow, self.bound, self.subtract_mean)
                        for clip in frames])  # (V, T - 1, 2, H, W)
        results[self.out_key] = out.reshape(-1, *out.shape[2:])  # (V * (T - 1), 2, H, W)
        return results

    def modalities(self, specs: Modalities) -> Modalities:
        """``out_key``: flow fields (x, y), T - 1 of them per clip of ``key``."""
        source = specs.get(self.key)
        frames = None if source is None or source.frames is None else source.frames - 1
        specs[self.out_key] = FLOW_FIELDS.with_frames(frames)
        return specs

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state['_flow'] = None
        return state
