"""Pick and build the reader for a video file or frame folder."""
import importlib.util
import os
from typing import Literal, Optional

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike

Backend = Literal['auto', 'pyav', 'opencv', 'frames']
_READERS = dict(pyav='PyAVReader', opencv='OpenCVReader', frames='FrameFolderReader')


def build_video_reader(path: PathLike, backend: Backend = 'auto', *,
                       frame_prefix: Optional[str] = None,
                       frame_fps: Optional[float] = None,
                       frame_min_short_side: Optional[int] = None,
                       num_threads: int = 1) -> BaseVideoReader:
    """Open a video with the reader registered in ``VIDEO_DECODERS``.

    Args:
        path: A video file or a folder of frame images.
        backend: ``'auto'`` picks ``'frames'`` for a folder, else ``'pyav'``
            if PyAV is installed, else ``'opencv'``.
        frame_prefix: Frame folders only: file name prefix of the RGB frames
            (``None`` detects it).
        frame_fps: Frame folders only: the rate the frames were extracted at.
        frame_min_short_side: Frame folders only: decode JPEGs at 1/2, 1/4 or
            1/8 size while the short side stays ``>= frame_min_short_side``
            (see :class:`FrameFolderReader`); ``None`` decodes at full size.
        num_threads: PyAV only: FFmpeg decoding threads; 0 lets FFmpeg choose
            (one per core). Keep 1 in DataLoader workers, which already decode
            in parallel.

    Returns:
        An open reader; close it (or use it as a context manager).

    Raises:
        VideoReadError: The source cannot be opened or has no frame.
    """
    if backend == 'auto':
        if os.path.isdir(path):
            backend = 'frames'
        else:
            backend = 'pyav' if importlib.util.find_spec('av') is not None else 'opencv'
    if backend not in _READERS:
        raise ValueError(f"backend must be one of 'auto', {', '.join(map(repr, _READERS))}; "
                         f'got {backend!r}')
    reader_cls = VIDEO_DECODERS.get(_READERS[backend])
    if backend == 'frames':
        return reader_cls(path, prefix=frame_prefix, fps=frame_fps,
                          min_short_side=frame_min_short_side)
    if backend == 'pyav':
        return reader_cls(path, num_threads=num_threads)
    return reader_cls(path)
