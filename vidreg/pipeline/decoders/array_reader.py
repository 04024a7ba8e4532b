"""Frames already in memory, read like a video (``inference(model, frames)``)."""
from typing import Optional

import numpy as np

from .base_video_reader import BaseVideoReader, VideoReadError


class ArrayReader(BaseVideoReader):
    """A uint8 ``(N, H, W, 3)`` RGB array as a video of N frames.

    Args:
        frames: The frames, uint8 ``(N, H, W, 3)`` RGB.
        fps: Their rate, if known (used by frame samplers that work in seconds).
        name: Stands in for the path in messages and in the prediction's ``path``.
    """

    def __init__(self, frames: np.ndarray, *, fps: Optional[float] = None,
                 name: str = '<frames>') -> None:
        super().__init__(name)
        frames = np.asarray(frames)
        if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8 \
                or not len(frames):
            raise VideoReadError(name, f'frames must be a non-empty uint8 (N, H, W, 3) RGB '
                                 f'array, got {frames.dtype} {frames.shape}')
        self.frames = frames
        self.total_frames = len(frames)
        self.fps = fps

    def _read_sorted(self, wanted: np.ndarray) -> list[np.ndarray]:
        last = self.frames[-1]
        return [self._finish(self.frames[i] if i < len(self.frames) else last)
                for i in wanted.tolist()]
