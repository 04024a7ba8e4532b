"""Tiny real video files for tests: a few frames of noise (MJPG in AVI), or of a moving
texture (lossless FFV1)."""
import os
from typing import Union

import av
import cv2
import numpy as np

from vidreg.preparation.synthetic_videos import _write_video


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


def write_tiny_mp4(path: Union[str, os.PathLike], *, num_frames: int = 10, size: int = 32,
                   seed: int = 0, fps: int = 10, codec: str = 'mpeg4') -> str:
    """Write ``num_frames`` random RGB frames as MPEG-4 (``codec='libx264'``: H.264, with
    B-frames) in an MP4 whose index (``moov``) comes first (``-movflags faststart``, as
    streamed files are): a cut file still opens.

    Returns:
        ``path`` as a string.
    """
    frames = np.random.default_rng(seed).integers(0, 255, (num_frames, size, size, 3), np.uint8)
    with av.open(str(path), 'w', format='mp4', options={'movflags': 'faststart'}) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = 'yuv420p'
        for rgb in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format='rgb24')))
        container.mux(stream.encode())
    return str(path)


def write_truncated_video(path: Union[str, os.PathLike], *, num_frames: int = 50,
                          keep: float = 0.4) -> str:
    """Write a tiny video, then cut its file after ``keep`` of its bytes.

    The header still promises ``num_frames`` frames but fewer decode (and the AVI index is
    gone), as an interrupted copy or download leaves a file: 14 of 50 with the defaults. A
    path ending in ``.mp4`` gets a :func:`write_tiny_mp4` file (10 of 50 decode).

    Returns:
        ``path`` as a string.
    """
    if str(path).lower().endswith('.mp4'):
        write_tiny_mp4(path, num_frames=num_frames)
    else:
        write_tiny_video(path, num_frames=num_frames)
    with open(path, 'r+b') as file:
        file.truncate(int(os.path.getsize(path) * keep))
    return str(path)


def write_moving_texture_video(path: Union[str, os.PathLike], *, num_frames: int = 6,
                               size: int = 64, shift: tuple[int, int] = (2, 1),
                               fps: int = 25) -> str:
    """A lossless (FFV1) video of a smooth gray texture moved by ``shift`` (dx, dy) px a frame.

    Lossless, so every reader decodes exactly the pixels written (flow tests compare exact
    values).

    Returns:
        ``path`` as a string.
    """
    rng = np.random.default_rng(0)
    base = cv2.resize(rng.random((24, 24)).astype(np.float32), (3 * size, 3 * size),
                      interpolation=cv2.INTER_CUBIC)
    base = (255 * (base - base.min()) / np.ptp(base)).astype(np.uint8)
    with av.open(str(path), 'w') as container:
        stream = container.add_stream('ffv1', rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = 'bgr0'
        for t in range(num_frames):
            gray = np.roll(base, (shift[1] * t, shift[0] * t), axis=(0, 1))[size:2 * size,
                                                                           size:2 * size]
            rgb = np.stack([gray, gray, gray], axis=-1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format='rgb24')):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return str(path)
