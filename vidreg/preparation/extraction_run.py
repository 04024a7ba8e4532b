"""Extract frames or flow images of every video of a folder, a CSV or one video, resumably.

The runs behind ``tools/extract_frames.py`` and ``tools/extract_flow.py`` (and, with its own
per-video work and report, ``tools/prepare_videos.py``): plan one job per video
(:mod:`vidreg.preparation.frame_extraction` extracts one), run them in this process or in
worker processes that end with it, under a progress bar, and report the counts, the failed
videos and the truncated ones (their header promises more frames than decode).
"""
import os.path as osp
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from functools import partial
from typing import Callable, Iterator, Literal, Optional

from rich.console import Console
from rich.table import Table

from vidreg.datasets import DatasetError
from vidreg.pipeline import OpticalFlow
from vidreg.utils import print_error
from vidreg.utils.parent_watch import worker_pool
from vidreg.utils.progress_bar import counting_progress

from .frame_extraction import (
    VIDEO_EXTENSIONS,
    ExtractJob,
    ExtractResult,
    ImageFormat,
    extract_video,
    find_videos,
    plan_jobs,
    read_video_list,
)

__all__ = ['extract_frames', 'extract_flow', 'plan_extraction', 'run_extraction',
           'report_extraction', 'Report']

# Prints the summary of a run's results; returns the exit code (see report_extraction).
Report = Callable[[Console, list[ExtractResult], str, str, bool], int]


def extract_frames(source: str, output: str, *, fps: Optional[float] = None,
                   num_frames: Optional[int] = None, short_side: Optional[int] = None,
                   quality: int = 95, image_format: ImageFormat = 'jpg', overwrite: bool = False,
                   workers: int = 1, root: Optional[str] = None, allow_truncated: bool = False,
                   console: Optional[Console] = None) -> int:
    """Extract the frames of every video of ``source`` into folders under ``output``.

    Args:
        source: A folder (its tree of videos is mirrored under ``output``), a CSV with a
            ``path`` column or one video.
        output: Root of the frame folders (``img_00001.jpg``, ...).
        fps: Keep frames at this rate (default: every frame).
        num_frames: Keep this many frames, spread evenly (instead of ``fps``).
        short_side: Resize so the shorter side has this many pixels.
        quality: JPEG quality, 1-100.
        image_format: ``'jpg'`` or ``'png'`` (lossless).
        overwrite: Redo finished videos too.
        workers: Parallel processes.
        root: CSV input: the folder relative paths resolve against (default: the CSV's).
        allow_truncated: Truncated videos alone do not make the exit code 1.
        console: Where the progress and the report go (default: the terminal).

    Returns:
        The exit code: 0, 1 if a video failed or (unless ``allow_truncated``) is truncated,
        130 when interrupted.

    Raises:
        FileNotFoundError, DatasetError: The input is missing or lists no video; see
            :func:`plan_extraction`.
    """
    work = partial(extract_video, fps=fps, num_frames=num_frames, short_side=short_side,
                   quality=quality, overwrite=overwrite, image_format=image_format)
    return run_extraction(plan_extraction(source, output, root), work, workers=workers,
                          output=output, allow_truncated=allow_truncated, console=console)


def extract_flow(source: str, output: str, *, method: Literal['dis', 'farneback'] = 'dis',
                 preset: Literal['ultrafast', 'fast', 'medium'] = 'fast', bound: float = 20.0,
                 fps: Optional[float] = None, short_side: Optional[int] = None,
                 quality: int = 95, image_format: ImageFormat = 'jpg', overwrite: bool = False,
                 workers: int = 1, root: Optional[str] = None, allow_truncated: bool = False,
                 console: Optional[Console] = None) -> int:
    """Extract the optical flow of every video of ``source`` as images (``x_00001.jpg``,
    ``y_00001.jpg``, ...) into folders under ``output``, as ``OpticalFlow`` computes it.

    Args:
        method: OpenCV DIS (fast, presets) or Farneback.
        preset: DIS preset.
        bound: Largest flow magnitude kept, in pixels.
        Others: As for :func:`extract_frames`.

    Returns:
        The exit code, as :func:`extract_frames`.
    """
    flow = OpticalFlow(method=method, preset=preset, bound=bound)
    work = partial(extract_video, fps=fps, short_side=short_side, quality=quality,
                   overwrite=overwrite, flow=flow, image_format=image_format)
    return run_extraction(plan_extraction(source, output, root), work, workers=workers,
                          output=output, what='flow pairs', allow_truncated=allow_truncated,
                          console=console)


def plan_extraction(source: str, output: str, root: Optional[str] = None,
                    keep_extension: bool = False) -> list[ExtractJob]:
    """The jobs for ``source`` (a folder, a CSV or a video) and ``output``.

    ``keep_extension``: each job's output is a file named as its video (a prepared copy), see
    :func:`plan_jobs`.

    Raises:
        FileNotFoundError: The input does not exist.
        DatasetError: The input is not a usable CSV, lists no video, or the output is a file.
    """
    if not osp.exists(source):
        raise FileNotFoundError(f'{source} does not exist: give a folder of videos or a CSV '
                                f'with a "path" column.')
    if osp.exists(output) and not osp.isdir(output):
        raise DatasetError(f'the output {output} is a file: give a folder (created if '
                           f'missing).')
    if osp.isdir(source):
        root, videos = source, find_videos(source)
        where = f'{source} holds no video (searched for {", ".join(VIDEO_EXTENSIONS)})'
    elif osp.splitext(source)[1].lower() in VIDEO_EXTENSIONS:  # one video
        root, videos, where = osp.dirname(osp.abspath(source)), [source], ''
    else:
        root = root or osp.dirname(osp.abspath(source))
        videos = read_video_list(source, root)
        where = f'{source} lists no video'
    if not videos:
        raise DatasetError(f'{where}: nothing to extract.')
    return plan_jobs(videos, root, output, keep_extension)


def _results(jobs: list[ExtractJob], work: Callable[[ExtractJob], ExtractResult],
             workers: int) -> Iterator[ExtractResult]:
    """``work`` of every job, in this process or ``workers`` processes (in completion order)."""
    if workers == 1:
        for job in jobs:
            yield work(job)
        return
    pool = worker_pool(workers)  # its workers end with this process, even on kill -9
    try:
        for future in as_completed([pool.submit(work, job) for job in jobs]):
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_extraction(jobs: list[ExtractJob], work: Callable[[ExtractJob], ExtractResult], *,
                   workers: int, output: str, what: str = 'frames',
                   allow_truncated: bool = False, console: Optional[Console] = None,
                   label: str = 'extract', report: Optional[Report] = None) -> int:
    """Run ``work`` on every job (in ``workers`` processes) under a progress bar labelled
    ``label``; print the counts, the failures and the truncated videos (``report``, default
    :func:`report_extraction`). Returns the exit code (see :func:`report_extraction`; 130 when
    interrupted)."""
    console = console or Console()
    report = report or report_extraction
    results: list[ExtractResult] = []
    try:
        with counting_progress(console, label=f'[bold]{label}') as progress, \
                closing(_results(jobs, work, workers)) as finished:
            task = progress.add_task('videos', total=len(jobs))
            for result in finished:
                results.append(result)
                progress.advance(task)
    except (KeyboardInterrupt, BrokenProcessPool) as error:
        why = ('interrupted' if isinstance(error, KeyboardInterrupt) else
               'a worker process died (killed by the system: out of memory? try fewer --workers)')
        print_error(f'{why} after {len(results)} of {len(jobs)} videos; run the same command '
                    f'again to resume (finished videos are skipped, half-written ones redone).')
        return 130 if isinstance(error, KeyboardInterrupt) else 1
    return report(console, results, what, osp.abspath(output), allow_truncated)


def report_extraction(console: Console, results: list[ExtractResult], what: str, output: str,
                      allow_truncated: bool = False, *, verb: str = 'extracted',
                      outputs: Optional[str] = None, kept: Optional[str] = None,
                      summary: Optional[Callable[[Console, list[ExtractResult]], None]] = None
                      ) -> int:
    """Print the counts, ``summary`` (if given), a table of the failed videos and one of the
    truncated ones; return the exit code: 1 if any failed or (unless ``allow_truncated``) is
    truncated, else 0.

    ``verb`` says what the run did to a video, ``outputs`` what lies in ``output`` (default
    ``what``), ``kept`` what the output of a truncated video holds (default: the ``what`` of
    the part that decodes).
    """
    kept = kept or f'their folders hold the {what} of the part that decodes'
    counts = {status: sum(r.status == status for r in results)
              for status in ('done', 'skipped', 'failed')}
    frames = sum(r.num_frames for r in results if r.status == 'done')
    truncated = sorted((r for r in results if r.truncated and r.status != 'failed'),
                       key=lambda r: r.video)
    console.print(f'{counts["done"]} {verb} ({frames} {what}), {counts["skipped"]} already '
                  f'done, {counts["failed"]} failed, {len(truncated)} truncated; '
                  f'{outputs or what} in {output}', highlight=False)
    if summary is not None:
        summary(console, [r for r in results if r.status != 'failed'])
    failed = sorted((r for r in results if r.status == 'failed'), key=lambda r: r.video)
    if failed:
        table = Table(title='Failed videos (each reason says what to do; a rerun retries '
                                  'only these)', show_lines=False)
        table.add_column('video', overflow='fold')
        table.add_column('reason', overflow='fold')
        for result in failed:
            table.add_row(result.video, result.error)
        console.print(table)
    if truncated:
        table = Table(title='Truncated videos (their header promises more frames than decode)',
                      caption=f'{kept}; re-encode or replace them and rerun with --overwrite' +
                      ('' if allow_truncated else ', or accept them with --allow-truncated'))
        for column in ('video', 'header frames', 'decoded frames', what, 'this run'):
            table.add_column(column, overflow='fold', justify='left' if column == 'video'
                             else 'right')
        for result in truncated:
            table.add_row(result.video, str(result.header_frames), str(result.decoded_frames),
                          str(result.num_frames),
                          verb if result.status == 'done' else 'already done')
        console.print(table)
    return 1 if failed or (truncated and not allow_truncated) else 0

