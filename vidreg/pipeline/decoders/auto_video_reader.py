"""The default reader config: a frame-folder reader for folders, a video-file reader for files."""
import importlib.util
import os
from typing import Optional

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike


@VIDEO_DECODERS.register_module()
def auto_video_reader(path: PathLike, *, folder_reader: Optional[dict] = None,
                      file_reader: Optional[dict] = None) -> BaseVideoReader:
    """Open a folder with ``folder_reader`` and a file with ``file_reader``.

    Registered as ``type='auto_video_reader'``, the default reader of
    ``OpenVideo``, so one config serves datasets of videos and of frame
    folders. Each kind keeps its own options, e.g.
    ``dict(type='auto_video_reader', folder_reader=dict(type='FrameFolderReader',
    min_short_side=128))``.

    Args:
        path: A video file or a frame folder.
        folder_reader: Reader config for folders; ``None``:
            ``dict(type='FrameFolderReader')``.
        file_reader: Reader config for files; ``None``:
            ``dict(type='PyAVReader', num_threads=1)`` if PyAV is installed,
            else ``dict(type='OpenCVReader')``. One FFmpeg thread suits
            DataLoader workers, which decode videos in parallel.

    Returns:
        The open reader.
    """
    if os.path.isdir(path):
        cfg = folder_reader or dict(type='FrameFolderReader')
    elif file_reader is not None:
        cfg = file_reader
    elif importlib.util.find_spec('av') is not None:
        cfg = dict(type='PyAVReader', num_threads=1)
    else:
        cfg = dict(type='OpenCVReader')
    return VIDEO_DECODERS.build(dict(cfg, path=path))
