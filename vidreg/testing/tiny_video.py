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


def write_truncated_video(path: Union[str, os.PathLike], *, num_frames: int = 50,
                          keep: float = 0.4) -> str:
    """Write a tiny video, then cut its file after ``keep`` of its bytes.

    The header still promises ``num_frames`` frames but fewer decode (and the AVI index is
    gone), as an interrupted copy or download leaves a file: 14 of 50 with the defaults.

    Returns:
        ``path`` as a string.
    """
    write_tiny_video(path, num_frames=num_frames)
    with open(path, 'r+b') as file:
        file.truncate(int(os.path.getsize(path) * keep))
    return str(path)
