"""Several samples per video (every clip of it, seed 004's modes, torchvision's ``VideoClips``).

A dataset whose pipeline's frame sampler yields several samples per video
(:attr:`~vidreg.pipeline.FrameSampler.needs_header`, e.g.
:class:`~vidreg.pipeline.EveryClipSampleFrames`) lists each sample as one row:
``filename``, ``label`` and its ``clip_index``, which the sampler reads. The video headers
are read once, when the dataset is built (in threads, with a progress bar when that takes
more than a moment), for each video's length and frame rate. The metrics average the rows
of one ``path`` into a video-level score beside the clip-level one.
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vidreg.pipeline.decoders import VideoReadError, build_video_reader
from vidreg.pipeline.frame_sampler import FrameSampler
from vidreg.pipeline.open_video import OpenVideo

__all__ = ['sample_rows', 'probe_videos', 'reader_config_of']

#: Seconds of probing after which a progress bar appears.
PROGRESS_AFTER_S = 2.0

Probe = Union[Tuple[int, Optional[float]], VideoReadError]  # (total_frames, fps) or the error


def sample_rows(sampler: FrameSampler, rows: Sequence[dict], probes: Sequence[Probe]
                ) -> Tuple[List[dict], List[Tuple[int, str]]]:
    """One row per sample the sampler makes of each video, from the video rows and probes.

    Args:
        sampler: The pipeline's frame sampler.
        rows: Video rows ``dict(filename=..., label=..., ...)``.
        probes: :func:`probe_videos` of their ``filename``, in the same order.

    Returns:
        The sample rows (each video's keys plus ``clip_index``, 0 to its number of samples
        - 1) and ``(row position, reason)`` for each video that gave none.
    """
    samples, problems = [], []
    for position, (row, probe) in enumerate(zip(rows, probes)):
        if isinstance(probe, VideoReadError):
            problems.append((position, f"video {row['filename']!r} cannot be opened: "
                                       f'{probe.reason}. {probe.hint}'))
            continue
        try:
            count = sampler.num_samples(*probe)
        except ValueError as error:
            problems.append((position, f"video {row['filename']!r}: {error}"))
            continue
        samples.extend(dict(row, clip_index=index) for index in range(count))
    return samples, problems


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
