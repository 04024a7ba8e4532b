"""Open the video of a sample; decoding happens later, in DecodeFrames."""
from typing import Optional

from mmcv.transforms import BaseTransform

from vidreg.datasets.decoders import build_video_reader
from vidreg.datasets.decoders.builder import Backend
from vidreg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class OpenVideo(BaseTransform):
    """Open a video file or frame folder and read its frame count and rate.

    Opening reads only the container header, so samplers can choose frames
    before anything is decoded. :class:`DecodeFrames` closes the reader.

    Required keys: ``filename``.

    Added keys: ``video_reader`` (a ``BaseVideoReader``), ``total_frames``
    (the container's count: a hint, corrected by ``DecodeFrames`` if the
    video is shorter), ``avg_fps`` (frames per second, ``None`` if unknown).

    Args:
        backend: ``'auto'`` (folder: frames; file: PyAV if installed, else
            OpenCV), ``'pyav'``, ``'opencv'`` or ``'frames'``.
        frame_prefix: Frame folders only: file name prefix of the RGB frames,
            e.g. ``'img_'``; ``None`` detects it.
        frame_fps: Frame folders only: the rate the frames were extracted at.
        frame_min_short_side: Frame folders only: decode JPEGs at 1/2, 1/4 or
            1/8 size, the largest reduction whose short side stays
            ``>= frame_min_short_side``. Set it to the ``short_side`` of the
            following ``Resize``: the output short side is unchanged, the
            pixels differ slightly (JPEG DCT-domain downscaling), and frames
            decode about twice as fast. ``None`` decodes at full size; video
            files ignore it.
        num_threads: PyAV only: FFmpeg threads per video. 1 (the default)
            suits DataLoader workers, which decode videos in parallel; 0 lets
            FFmpeg use every core (for a single process, e.g. a demo).
    """

    def __init__(self, *, backend: Backend = 'auto', frame_prefix: Optional[str] = None,
                 frame_fps: Optional[float] = None,
                 frame_min_short_side: Optional[int] = None, num_threads: int = 1) -> None:
        self.backend = backend
        self.frame_prefix = frame_prefix
        self.frame_fps = frame_fps
        self.frame_min_short_side = frame_min_short_side
        if not (isinstance(num_threads, int) and num_threads >= 0):
            raise ValueError(f'num_threads must be an int >= 0, got {num_threads!r}')
        self.num_threads = num_threads

    def transform(self, results: dict) -> dict:
        reader = build_video_reader(results['filename'], self.backend,
                                    frame_prefix=self.frame_prefix, frame_fps=self.frame_fps,
                                    frame_min_short_side=self.frame_min_short_side,
                                    num_threads=self.num_threads)
        results['video_reader'] = reader
        results['total_frames'] = reader.num_frames
        results['avg_fps'] = reader.fps
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(backend={self.backend!r}, '
                f'frame_prefix={self.frame_prefix!r}, frame_fps={self.frame_fps}, '
                f'frame_min_short_side={self.frame_min_short_side}, '
                f'num_threads={self.num_threads})')
