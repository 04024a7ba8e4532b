"""Every clip of every video as its own sample (seed 004's modes, torchvision's ``VideoClips``).

A dataset built with ``clips=dict(...)`` (any :class:`BaseVideoDataset`) lists each clip of
each video as one row: ``filename``, ``label`` and the clip's ``frame_inds``. The video
headers are read once, when the dataset is built (in threads, with a progress bar when that
takes more than a moment), to know each video's length and frame rate. The pipeline then
has no frame sampler: it opens the video and decodes the row's frames. The metrics average
the rows of one ``path`` into a video-level score beside the clip-level one.
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, List, Optional, Sequence, Tuple, Union, get_args

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .decoders import VideoReadError, build_video_reader
from .transforms.frame_indices import PadMode, every_clip_indices
from .transforms.open_video import OpenVideo

__all__ = ['ClipSamples', 'probe_videos', 'reader_config_of']

#: Seconds of probing after which a progress bar appears.
PROGRESS_AFTER_S = 2.0

Probe = Union[Tuple[int, Optional[float]], VideoReadError]  # (total_frames, fps) or the error


class ClipSamples:
    """How a video is cut into clip samples: ``clips=dict(...)`` of the datasets.

    Clip ``k`` of a video starts ``k * stride`` sampled frames after the first one and
    holds ``num_frames`` consecutive sampled frames; the sampled frames are every native
    frame (``fps=None``, ``frame_interval=1``: seed 004's mode 1), every
    ``frame_interval``-th one, or the video resampled to ``fps`` frames per second (seed
    004's mode 2: ``fps=6, num_frames=3, stride=6``, one clip per second). Only whole clips
    are taken (:func:`~vidreg.datasets.transforms.frame_indices.every_clip_indices`); a
    video shorter than one clip gives one clip padded with ``pad_mode``, never none.

    Args:
        num_frames: Frames per clip (T).
        stride: Sampled frames between the starts of consecutive clips (1: a clip at every
            sampled frame).
        fps: Rate the video is resampled to, frames per second; ``None`` uses
            ``frame_interval`` native frames. Needs the video's frame rate (frame folders:
            set it in the reader, ``FrameFolderReader(fps=...)``).
        frame_interval: Native frames between sampled frames when ``fps`` is ``None``.
        pad_mode: Padding of videos shorter than one clip: ``'loop'`` or ``'repeat_last'``.
    """

    def __init__(self, *, num_frames: int, stride: float = 1, fps: Optional[float] = None,
                 frame_interval: float = 1, pad_mode: PadMode = 'loop') -> None:
        for name, value in dict(num_frames=num_frames, stride=stride,
                                frame_interval=frame_interval, fps=fps).items():
            if value is not None and not value > 0:
                raise ValueError(f'clips: {name} must be > 0, got {value!r}')
        if fps is not None and frame_interval != 1:
            raise ValueError(f'clips: give fps (a rate, {fps}) or frame_interval (native frames, '
                             f'{frame_interval}), not both')
        if pad_mode not in get_args(PadMode):
            raise ValueError(f'clips: pad_mode must be one of {get_args(PadMode)}, '
                             f'got {pad_mode!r}')
        self.num_frames = int(num_frames)
        self.stride = stride
        self.fps = fps
        self.frame_interval = frame_interval
        self.pad_mode = pad_mode

    def interval(self, avg_fps: Optional[float]) -> Optional[float]:
        """Native frames between sampled frames for a video of ``avg_fps``; ``None`` if the
        rate is needed (``fps`` set) but unknown."""
        if self.fps is None:
            return self.frame_interval
        return avg_fps / self.fps if avg_fps and avg_fps > 0 else None

    def clip_indices(self, total_frames: int, avg_fps: Optional[float]) -> np.ndarray:
        """The clips of one video, int64 ``(num_clips, num_frames)``.

        Raises:
            ValueError: ``fps`` is set and the video's rate is unknown.
        """
        interval = self.interval(avg_fps)
        if interval is None:
            raise ValueError(f'its frame rate is unknown ({avg_fps!r}) and clips are resampled '
                             f'to fps={self.fps}')
        return every_clip_indices(total_frames, self.num_frames, interval, self.stride,
                                  pad_mode=self.pad_mode)

    def expand(self, rows: Sequence[dict], probes: Sequence[Probe]
               ) -> Tuple[List[dict], List[Tuple[int, str]]]:
        """One row per clip, from the video rows and their probes.

        Args:
            rows: Video rows ``dict(filename=..., label=..., ...)``.
            probes: :func:`probe_videos` of their ``filename``, in the same order.

        Returns:
            The clip rows (each video's keys plus ``frame_inds``, a tuple of ``num_frames``
            ints: compact when serialised) and ``(row position, reason)`` for each video
            that gave none.
        """
        clips, problems = [], []
        for position, (row, probe) in enumerate(zip(rows, probes)):
            if isinstance(probe, VideoReadError):
                problems.append((position, f"video {row['filename']!r} cannot be opened: "
                                           f'{probe.reason}. {probe.hint}'))
                continue
            total_frames, avg_fps = probe
            try:
                indices = self.clip_indices(total_frames, avg_fps)
            except ValueError as error:
                problems.append((position, f"video {row['filename']!r}: {error}; set the "
                                           f'frame rate in the reader (frame '
                                           f'folders: OpenVideo(reader=dict(type='
                                           f"'FrameFolderReader', fps=...))) or use clips "
                                           f'with fps=None'))
                continue
            clips.extend(dict(row, frame_inds=tuple(clip.tolist())) for clip in indices)
        return clips, problems

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_frames={self.num_frames}, stride={self.stride}, '
                f'fps={self.fps}, frame_interval={self.frame_interval}, '
                f'pad_mode={self.pad_mode!r})')


def reader_config_of(transforms: Iterable) -> Optional[dict]:
    """The reader config of the pipeline's first :class:`OpenVideo` (``None``: the default)."""
    for step in transforms:
        if isinstance(step, OpenVideo):
            reader = getattr(step, 'reader', None)
            return dict(reader) if isinstance(reader, dict) else None
    return None


def _probe(path: str, reader: Optional[dict]) -> Probe:
    try:
        with build_video_reader(path, reader) as video:
            return int(video.total_frames), video.fps
    except VideoReadError as error:
        return error


def probe_videos(paths: Sequence[str], reader: Optional[dict] = None, *,
                 workers: Optional[int] = None, description: str = 'reading video headers'
                 ) -> List[Probe]:
    """Open each video's header: its frame count (the header's) and frame rate.

    Runs in ``workers`` threads (default: 2 per CPU core, at most 16; opening a header
    mostly waits on the disk). A transient rich progress bar appears when this takes
    longer than :data:`PROGRESS_AFTER_S`.

    Args:
        paths: Video files or frame folders.
        reader: ``VIDEO_DECODERS`` config (as ``OpenVideo``'s); ``None``: the default.
        workers: Threads; 0 or 1 probes in this thread.
        description: Label of the progress bar.

    Returns:
        Per path, in order: ``(total_frames, fps)`` (fps ``None`` if unknown) or the
        :class:`VideoReadError` that opening it raised.
    """
    if workers is None:
        workers = min(16, 2 * (os.cpu_count() or 1))
    workers = max(1, min(workers, len(paths)))
    start, bar, task, results = time.monotonic(), None, None, []
    executor = ThreadPoolExecutor(workers) if workers > 1 else None
    try:
        found = (executor.map(_probe, paths, [reader] * len(paths)) if executor
                 else (_probe(path, reader) for path in paths))
        for result in found:
            results.append(result)
            if bar is None and time.monotonic() - start > PROGRESS_AFTER_S:
                bar = Progress(TextColumn('{task.description}'), BarColumn(),
                               MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
                bar.start()
                task = bar.add_task(description, total=len(paths), completed=len(results))
            elif bar is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    return results
