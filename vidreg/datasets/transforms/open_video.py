"""Open the video of a sample; decoding happens later, in DecodeFrames."""
from typing import Optional

from mmcv.transforms import BaseTransform

from vidreg.datasets.decoders import build_video_reader
from vidreg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class OpenVideo(BaseTransform):
    """Open a video file or frame folder with a ``VIDEO_DECODERS`` reader.

    Opening reads only the container header, so samplers can choose frames
    before anything is decoded. :class:`DecodeFrames` closes the reader.

    Required keys: ``filename``.

    Added keys: ``video_reader`` (a ``BaseVideoReader``), ``total_frames``
    (the container's count: a hint, corrected by ``DecodeFrames`` if the
    video is shorter), ``avg_fps`` (frames per second, ``None`` if unknown).

    Args:
        reader: Config of the reader, built with the sample's path, e.g.
            ``dict(type='PyAVReader', num_threads=1)``,
            ``dict(type='FrameFolderReader', fps=30, min_short_side=128)`` or a
            plugin's reader. ``None``: ``dict(type='auto_video_reader')``,
            which opens folders with ``FrameFolderReader`` and files with
            ``PyAVReader(num_threads=1)`` (``OpenCVReader`` without PyAV); give
            it ``folder_reader=`` / ``file_reader=`` configs for options.
    """

    def __init__(self, reader: Optional[dict] = None) -> None:
        self.reader = dict(type='auto_video_reader') if reader is None else dict(reader)
        if 'type' not in self.reader:
            raise ValueError(f"OpenVideo: reader needs a 'type' (a VIDEO_DECODERS name, e.g. "
                             f"'PyAVReader'), got {reader!r}")

    def transform(self, results: dict) -> dict:
        reader = build_video_reader(results['filename'], self.reader)
        results['video_reader'] = reader
        results['total_frames'] = reader.total_frames
        results['avg_fps'] = reader.fps
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(reader={self.reader!r})'
