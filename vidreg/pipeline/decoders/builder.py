"""Build the reader of a video file or frame folder from a ``VIDEO_DECODERS`` config."""
from typing import Optional

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike

AUTO_READER = dict(type='auto_video_reader')


def build_video_reader(path: PathLike, reader: Optional[dict] = None) -> BaseVideoReader:
    """Open ``path`` with the reader that ``reader`` configures.

    Any reader registered in ``VIDEO_DECODERS`` can be chosen, a plugin's
    included: it is called as ``Reader(path, **options)``.

    Args:
        path: A video file or a folder of frame images.
        reader: ``dict(type=<registered name>, **options)``, e.g.
            ``dict(type='PyAVReader', num_threads=1)``; ``None`` means
            ``dict(type='auto_video_reader')`` (see :func:`auto_video_reader`).

    Returns:
        An open reader; close it (or use it as a context manager).

    Raises:
        VideoReadError: The source cannot be opened or has no frame.
    """
    cfg = dict(AUTO_READER if reader is None else reader)
    if 'path' in cfg:
        raise ValueError(f'A reader config takes no path (it is the sample\'s), got {reader!r}.')
    return VIDEO_DECODERS.build(dict(cfg, path=path))
