"""Tiny real video files for tests: a few frames of noise, MJPG in AVI."""
import os
from typing import Union

import numpy as np

from vidreg.datasets.synthetic_videos import _write_video


def write_tiny_video(path: Union[str, os.PathLike], *, num_frames: int = 10, size: int = 32,
                     seed: int = 0, fps: float = 10.0) -> str:
    """Write ``num_frames`` random RGB frames of ``size`` x ``size`` px to ``path``.

    The file decodes with both PyAV and OpenCV (Motion-JPEG, every frame a keyframe).

    Returns:
        ``path`` as a string.
    """
    frames = np.random.default_rng(seed).integers(0, 255, (num_frames, size, size, 3), np.uint8)
    _write_video(path, frames, fps)
    return str(path)
