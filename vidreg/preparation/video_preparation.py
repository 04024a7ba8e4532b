"""Prepare a dataset's videos for random access: re-encoded copies under the same relative
paths and file names, resumable and safe to interrupt.

``tools/prepare_videos.py`` is the command-line front end. Each copy is encoded
(:mod:`vidreg.preparation.video_encoding`) into a hidden temporary file next to its
destination (``.<name>.tmp-<hex>``), checked against its video, and moved into place with its
record (``.<name>.vidreg-video.json``, :mod:`vidreg.preparation.extraction_record`): a copy
under the final name with a complete record is finished, and a rerun skips it; a rerun
deletes the temporary file of a killed run and redoes that video. The jobs run as the frame
extraction's do (:func:`~vidreg.preparation.extraction_run.run_extraction`: worker
processes that end with the main one, a progress bar, bad videos listed at the end).
"""
import glob
import os
import os.path as osp
import uuid
from collections import defaultdict
from functools import partial
from typing import Optional

import av
from rich.console import Console
from rich.filesize import decimal
from rich.table import Table

from vidreg.datasets import DatasetError
from vidreg.fileio import same_file
from vidreg.pipeline.decoders import VideoReadError
from vidreg.preparation.extraction_record import (
    ExtractionRecord,
    changed_options_text,
    move_file_into_place,
    read_record,
    record_path,
)
from vidreg.preparation.extraction_run import plan_extraction, report_extraction, run_extraction
from vidreg.preparation.frame_extraction import ExtractJob, ExtractResult, FrameCounts
from vidreg.preparation.video_encoding import (
    CONTAINERS,
    Codec,
    CopyCheckError,
    check_copy,
    encode_video,
    encoder_settings,
)

__all__ = ['prepare_videos', 'prepare_video']

_TMP_MARK = '.tmp-'


def prepare_videos(source: str, output: str, *, short_side: Optional[int] = None,
                   gop: int = 16, codec: Codec = 'auto', crf: int = 18, qscale: int = 3,
                   workers: int = 1, root: Optional[str] = None, overwrite: bool = False,
                   allow_truncated: bool = False, console: Optional[Console] = None) -> int:
    """Write a copy of every video of ``source`` for random access under ``output``.

    Args:
        source: A folder (its tree is mirrored under ``output``), a CSV with a ``path``
            column, or one video.
        output: Root of the copies: same relative paths and file names as the videos.
        short_side: Shrink so the shorter side has this many pixels (even; never enlarge).
        gop: Frames from one keyframe to the next.
        codec: ``'libx264'`` (H.264), ``'mpeg4'`` (MPEG-4 Part 2), or ``'auto'``: MPEG-4
            wherever the container holds it, H.264 in FLV (see
            :func:`~vidreg.preparation.video_encoding.encoder_settings`).
        crf: H.264's constant rate factor (0-51, lower: better and bigger).
        qscale: MPEG-4's quantiser (1-31, lower: better and bigger).
        workers: Parallel processes; FFmpeg's threads are shared out among them.
        Others: As for :func:`~vidreg.preparation.extraction_run.extract_frames`.

    Returns:
        The exit code, as :func:`~vidreg.preparation.extraction_run.extract_frames`.

    Raises:
        FileNotFoundError, DatasetError: The input is missing or lists no video, the output
            lies in the input folder, or ``codec`` names a codec that some videos' container
            cannot hold. Videos that cannot be prepared at all (``.webm``, ``.mpg``) fail one
            by one, listed at the end.
    """
    if osp.isdir(source) and _inside(output, source):
        raise DatasetError(f'the output {output} lies inside the input folder {source}: a '
                           f'rerun would take the copies for input videos. Give a folder '
                           f'outside it.')
    jobs = plan_extraction(source, output, root, keep_extension=True)
    for job in jobs:
        if same_file(job.output, job.video):
            raise DatasetError(f'the copy of {job.video} would replace it: give an output '
                               f'folder other than the videos\' (and --root).')
    settings = dict(codec=codec, gop=gop, crf=crf, qscale=qscale, short_side=short_side)
    _check_containers(jobs, settings)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    threads = 0 if workers == 1 else max(1, (cores or 1) // workers)
    work = partial(prepare_video, **settings, overwrite=overwrite, threads=threads)
    return run_extraction(jobs, work, workers=workers, output=output,
                          allow_truncated=allow_truncated, console=console, label='prepare',
                          report=partial(report_extraction, verb='prepared', outputs='copies',
                                         kept='their copies hold the frames that decode',
                                         summary=_print_sizes))


def _inside(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or lies below it (after resolving links)."""
    path, folder = osp.realpath(path), osp.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(osp.sep) + osp.sep)


def _check_containers(jobs: list[ExtractJob], settings: dict) -> None:
    """Every video's container can hold the codec the user chose, before any work starts
    (a usage mistake: every such video would fail). Containers that hold no codec vidreg
    prepares (``.webm``, ``.mpg``) are not checked here: their videos fail one by one.

    Raises:
        DatasetError: Naming each extension that cannot, how many videos have it, and why.
    """
    by_extension = defaultdict(list)
    for job in jobs:
        extension = osp.splitext(job.video)[1].lower()
        if extension in CONTAINERS:
            by_extension[extension].append(job.video)
    problems = []
    for extension, videos in sorted(by_extension.items()):
        try:
            encoder_settings(extension, **settings)
        except ValueError as error:
            problems.append(f'{len(videos)} video(s) such as {videos[0]}: {error}')
    if problems:
        raise DatasetError('cannot prepare ' + '; '.join(problems))


def prepare_video(job: ExtractJob, *, short_side: Optional[int] = None, gop: int = 16,
                  codec: Codec = 'auto', crf: int = 18, qscale: int = 3,
                  overwrite: bool = False, threads: int = 0) -> ExtractResult:
    """Write the checked copy of one video at ``job.output``; never raises for a bad video.

    Args:
        job: The video and the path of its copy (same extension).
        overwrite: Redo a finished copy instead of skipping it.
        threads: FFmpeg threads for decoding and encoding (0: as many as it likes).
        Others: As for :func:`prepare_videos`.

    Returns:
        The result (``num_frames``: the frames of the copy); ``status='failed'`` carries the
        reason in ``error`` (also when its container cannot hold the codec).
    """
    try:
        settings = encoder_settings(osp.splitext(job.output)[1], codec=codec, gop=gop, crf=crf,
                                    qscale=qscale, short_side=short_side)
    except ValueError as error:  # a container that holds no codec vidreg prepares
        return ExtractResult(job.video, job.output, 'failed', error=str(error))
    options = settings.options()
    if osp.lexists(job.output) and not osp.isfile(job.output):
        return ExtractResult(job.video, job.output, 'failed',
                             error=f'{job.output} exists and is not a file: move it away')
    parent, name = osp.split(job.output)
    mark = f'.{name}{_TMP_MARK}'
    for stale in glob.glob(osp.join(glob.escape(parent), f'{glob.escape(mark)}*')):
        os.remove(stale)  # left by a killed run (also next to a copy finished since)
    if not overwrite:
        finished = _finished(job, options)
        if finished is not None:
            return finished
    tmp = osp.join(parent, f'{mark}{uuid.uuid4().hex[:8]}')
    counts, frames = FrameCounts(), 0
    try:
        os.makedirs(parent, exist_ok=True)
        probes = encode_video(job.video, tmp, settings, counts, threads)
        frames = check_copy(tmp, counts.decoded, probes)
        record = ExtractionRecord('video', job.video, frames, counts.header, counts.decoded,
                                  options)
        move_file_into_place(tmp, job.output, record)
    except (VideoReadError, CopyCheckError, OSError, av.error.FFmpegError) as err:
        return ExtractResult(job.video, job.output, 'failed', frames, str(err), counts.header,
                             counts.decoded)
    finally:
        if osp.lexists(tmp):  # gone once moved; left only by a failure
            os.remove(tmp)
    return ExtractResult(job.video, job.output, 'done', frames, '', counts.header,
                         counts.decoded)


def _finished(job: ExtractJob, options: dict) -> Optional[ExtractResult]:
    """The result for a copy that needs no work (done, or done otherwise), else ``None``.

    A copy with a complete record: skipped (a truncated video is reported again), or failed
    if made with other options. A file there without a record (not a copy of this tool's):
    failed, it is not overwritten. No copy, an interrupted one or a damaged record: ``None``,
    prepare it.
    """
    try:
        record = read_record(job.output, 'video')
    except ValueError:
        return None  # a damaged record: redo the copy
    if record is None:
        if not osp.lexists(job.output):
            return None
        record_name = osp.basename(record_path(job.output, 'video'))
        return ExtractResult(job.video, job.output, 'failed',
                             error=f'{job.output} exists but was not written by '
                             f'prepare_videos (no {record_name} next to it): move it away, '
                             f'or rerun with --overwrite to replace it')
    if not record.complete or not osp.isfile(job.output):
        return None
    if record.options != options:
        return ExtractResult(job.video, job.output, 'failed', record.images,
                             f'already prepared with other options: '
                             f'{changed_options_text(record.options, options)}; rerun with '
                             f'--overwrite to redo it, or prepare to another OUTPUT',
                             record.header_frames, record.decoded_frames)
    return ExtractResult(job.video, job.output, 'skipped', record.images, '',
                         record.header_frames, record.decoded_frames)


def _size(path: str) -> Optional[int]:
    try:
        return osp.getsize(path)
    except OSError:
        return None


def _print_sizes(console: Console, results: list[ExtractResult]) -> None:
    """A table of the videos' and the copies' sizes on disk, by extension and in total."""
    sizes = defaultdict(lambda: [0, 0, 0])  # extension -> videos, bytes before, bytes after
    for result in results:
        before, after = _size(result.video), _size(result.output)
        if before is None or after is None:
            continue
        for key in (osp.splitext(result.output)[1].lower(), 'total'):
            sizes[key][0] += 1
            sizes[key][1] += before
            sizes[key][2] += after
    if not sizes:
        return
    table = Table(title='Sizes on disk (videos prepared or already done)')
    for column in ('videos', 'count', 'before', 'after', 'after / before'):
        table.add_column(column, justify='left' if column == 'videos' else 'right')
    for key in sorted(sizes, key=lambda k: (k == 'total', k)):
        count, before, after = sizes[key]
        table.add_row(key, str(count), decimal(before), decimal(after),
                      f'{after / before:.2f}' if before else '-')
    console.print(table)
