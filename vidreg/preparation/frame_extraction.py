"""Videos -> folders of JPEG (or PNG) frames (``img_00001.jpg``, ...) or flow images
(``x_00001.jpg``, ``y_00001.jpg``), resumable and safe to interrupt.

Each video is written into a hidden temporary folder next to its destination, with its
extraction record (:mod:`vidreg.preparation.extraction_record`: source, options, the frames its
header promises and those that decode), and renamed into place only when all its frames are on
disk, so a folder with the final name is complete: a rerun skips it (and reports again a video
found truncated), and deletes and redoes the temporary folder of a video whose run was killed.
Frames and flow may share a folder (MMAction2's rawframes layout): the second extraction moves
its images in, its record marked incomplete until the last one is there.
``tools/extract_frames.py`` and ``tools/extract_flow.py`` are the command-line front ends.
"""
import glob
import os
import os.path as osp
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Optional

import av
import cv2
import numpy as np

from vidreg.datasets.annotation_csv import read_csv_table
from vidreg.datasets.base_video_dataset import DatasetError
from vidreg.pipeline.decoders import VideoReadError, build_video_reader, mirrored_folder
from vidreg.pipeline.flow import quantize_flow
from vidreg.pipeline.optical_flow import OpticalFlow
from vidreg.pipeline.resize import Resize
from vidreg.preparation.extraction_record import (
    ExtractionRecord,
    Kind,
    changed_options_text,
    count_own_images,
    move_into_place,
    own_images,
    read_record,
    write_record,
)

__all__ = ['VIDEO_EXTENSIONS', 'FRAME_TEMPLATE', 'ExtractJob', 'ExtractResult', 'find_videos',
           'read_video_list', 'plan_jobs', 'extract_video', 'extraction_options', 'frame_selector',
           'FLOW_TEMPLATES', 'FrameCounts', 'decode_in_order']

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.m4v', '.mpg', '.mpeg', '.flv',
                    '.wmv', '.3gp')
FRAME_TEMPLATE = 'img_{:05d}.{ext}'  # numbered from 1, like MMAction2's rawframes
FLOW_TEMPLATES = ('x_{:05d}.{ext}', 'y_{:05d}.{ext}')  # flow of frames i -> i + 1, from 1
ImageFormat = Literal['jpg', 'png']
_TMP_MARK = '.tmp-'


@dataclass(frozen=True)
class ExtractJob:
    """One video and where it goes: its frame folder, or its prepared copy (a file)."""

    video: str
    output: str  # the frame folder; for a prepared copy (keep_extension) the copy's path


@dataclass(frozen=True)
class ExtractResult:
    """What became of one job: ``status`` is ``'done'``, ``'skipped'`` or ``'failed'``.

    ``num_frames`` counts the frames (or flow pairs) in the folder; ``header_frames`` and
    ``decoded_frames`` are the video's promised and decoded frame counts (0 when unknown: a
    folder extracted without a record).
    """

    video: str
    output: str  # the frame folder; for a prepared copy (keep_extension) the copy's path
    status: Literal['done', 'skipped', 'failed']
    num_frames: int = 0
    error: str = ''
    header_frames: int = 0
    decoded_frames: int = 0

    @property
    def truncated(self) -> bool:
        """The video decodes fewer frames than its header promises."""
        return self.decoded_frames < self.header_frames


def find_videos(root: str) -> list[str]:
    """Video files under ``root`` (recursively, by extension), sorted."""
    if not osp.isdir(root):
        raise FileNotFoundError(f'Input folder {root!r} does not exist.')
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found += [osp.join(folder, name) for name in sorted(files)
                  if osp.splitext(name)[1].lower() in VIDEO_EXTENSIONS]
    return found


def read_video_list(csv_file: str, root: Optional[str] = None,
                    path_column: str = 'path') -> list[str]:
    """Video paths from a CSV with a header (e.g. ``path,label``).

    Args:
        csv_file: The CSV file.
        root: Relative paths resolve against it; the CSV's folder by default.
        path_column: The column holding the paths.

    Returns:
        Absolute paths, in file order.

    Raises:
        DatasetError: The file is not such a CSV.
    """
    table = read_csv_table(csv_file, header=f'{path_column},...')
    if path_column not in table.columns:
        raise DatasetError(f'{csv_file} has no column {path_column!r} (its header names '
                           f'{list(table.columns)}): give a CSV whose header line starts '
                           f'"{path_column},", or a folder of videos.')
    root = osp.dirname(osp.abspath(csv_file)) if root is None else root
    return [osp.normpath(osp.join(root, path.strip())) for path in table[path_column]]


def plan_jobs(videos: list[str], input_root: str, output_root: str,
              keep_extension: bool = False) -> list[ExtractJob]:
    """Mirror each video's path below ``input_root`` under ``output_root``, minus its extension
    (:func:`~vidreg.pipeline.decoders.mirrored_folder`, which ``OpenVideo(video_root=...,
    mirror_root=...)`` uses to find the folder again).

    A video listed twice (a CSV with a row per clip) is one job. ``keep_extension``: keep the
    extension, each job's ``folder`` is then the path of a prepared copy of its video.

    Raises:
        DatasetError: A video lies outside ``input_root``, or two videos (``a.mp4`` and
            ``a.avi``) would share a folder.
    """
    jobs, owners = [], {}
    for video in videos:
        video = osp.abspath(video)
        try:
            folder = mirrored_folder(video, input_root, output_root)
        except ValueError as error:
            raise DatasetError(f'{error} Pass --root with a folder that holds every video.'
                               ) from None
        if keep_extension:
            folder += osp.splitext(video)[1]
        if owners.get(folder) == video:
            continue
        if folder in owners:
            raise DatasetError(f'{owners[folder]!r} and {video!r} would both extract to '
                               f'{folder!r}: rename one of them.')
        owners[folder] = video
        jobs.append(ExtractJob(video, folder))
    return jobs


def frame_selector(fps: Optional[float], video_fps: Optional[float]) -> Iterator[bool]:
    """Endless ``keep this frame?`` answers for frames 0, 1, 2, ... decoded in order.

    With ``fps`` it keeps the first frame of each ``1 / fps`` s interval, measured in frames
    at the video's average rate (every frame when ``fps`` >= that rate); else every frame.
    """
    if fps is None or not video_fps or fps >= video_fps:
        while True:
            yield True
    step, index, last_slot = fps / video_fps, 0, -1
    while True:
        slot = int(np.floor(index * step + 1e-9))
        yield slot > last_slot
        last_slot = max(last_slot, slot)
        index += 1


@dataclass
class FrameCounts:
    """Frames a video's header promises, frames that decoded (all, kept or not), and its
    average frame rate (``None`` if the stream states none)."""

    header: int = 0
    decoded: int = 0
    rate: Optional[Fraction] = None


def decode_in_order(video: str, fps: Optional[float], counts: FrameCounts, threads: int = 0
                    ) -> Iterator[av.VideoFrame]:
    """Every frame of the video (or those kept at ``fps``), by sequential decoding.

    Fills ``counts``: the header's count (as :class:`PyAVReader` reads it in training and
    ``tools/check_data.py``) and the rate before the first frame, the decoded count as it
    goes. A damaged tail ends the video, as it does for :class:`PyAVReader`. ``threads``:
    FFmpeg's decoding threads (0: as many as it likes).
    """
    with build_video_reader(video, dict(type='PyAVReader')) as reader:  # names a bad file
        counts.header = reader.total_frames
    try:
        with av.open(video) as container:
            stream = container.streams.video[0]
            stream.thread_type = 'AUTO'
            if threads:
                stream.codec_context.thread_count = threads
            rate = counts.rate = stream.average_rate or stream.guessed_rate
            keep = frame_selector(fps, float(rate) if rate else None)
            try:
                for frame in container.decode(stream):
                    counts.decoded += 1
                    if next(keep):
                        yield frame
            except av.error.FFmpegError:
                if counts.decoded == 0:
                    raise
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as err:
        raise VideoReadError(video, f'FFmpeg cannot decode it ({err})') from None


def _uniform_frames(video: str, num_frames: int, counts: FrameCounts) -> np.ndarray:
    """``num_frames`` frames at the centres of equal segments, RGB ``(N, H, W, 3)``.

    The last frame the header promises is read too, so that a truncated video is found
    (``counts``) and sampled over the frames that really decode.
    """
    with build_video_reader(video, dict(type='PyAVReader')) as reader:
        counts.header = total = reader.total_frames
        frames = reader.read(np.append(_segment_centres(total, num_frames), total - 1))[:-1]
        if reader.total_frames < total:  # the header overstated the count: sample the real one
            frames = reader.read(_segment_centres(reader.total_frames, num_frames))
        counts.decoded = reader.total_frames
    return frames


def _segment_centres(total: int, num: int) -> np.ndarray:
    return np.minimum(np.floor((np.arange(num) + 0.5) * total / num), total - 1).astype(np.int64)


def _resize(image: np.ndarray, short_side: Optional[int]) -> np.ndarray:
    if short_side is not None:
        height, width = Resize(short_side=short_side).output_hw(*image.shape[:2])
        if (height, width) != image.shape[:2]:
            image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    return image


def _write(folder: str, index: int, image: np.ndarray, short_side: Optional[int],
           quality: int, template: str = FRAME_TEMPLATE, image_format: ImageFormat = 'jpg'
           ) -> None:
    path = osp.join(folder, template.format(index, ext=image_format))
    options = ([cv2.IMWRITE_PNG_COMPRESSION, 1] if image_format == 'png'
               else [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not cv2.imwrite(path, _resize(image, short_side), options):
        raise OSError(f'cv2.imwrite cannot write {path!r}')


def _write_flow(folder: str, frames: Iterator[np.ndarray], flow: OpticalFlow,
                short_side: Optional[int], quality: int, image_format: ImageFormat) -> int:
    """Flow images of consecutive BGR frames (at the stored size); returns the pairs written.

    Frames are resized as ``Resize(short_side=short_side)`` (and ``DecodeFrames(resize=...)``)
    resize them, so the flow is computed on the pixels :class:`OpticalFlow` sees after it.
    """
    resize = None if short_side is None else Resize(short_side=short_side)
    previous, count = None, 0
    for bgr in frames:
        gray = cv2.cvtColor(bgr if resize is None else resize.resize_frame(bgr),
                            cv2.COLOR_BGR2GRAY)
        if previous is not None:
            count += 1
            levels = quantize_flow(flow.flow(previous, gray), flow.bound)  # (H, W, 2)
            for component, template in enumerate(FLOW_TEMPLATES):
                _write(folder, count, levels[..., component], None, quality, template,
                       image_format)
        previous = gray
    return count


def extract_video(job: ExtractJob, *, fps: Optional[float] = None,
                  num_frames: Optional[int] = None, short_side: Optional[int] = None,
                  quality: int = 95, overwrite: bool = False,
                  flow: Optional[OpticalFlow] = None,
                  image_format: ImageFormat = 'jpg') -> ExtractResult:
    """Extract one video's frames (or flow images) into ``job.output``; never raises for a bad
    video.

    Args:
        job: The video and its destination folder.
        fps: Keep frames at this rate (see :func:`frame_selector`); ``None`` keeps every
            frame. Exclusive with ``num_frames``.
        num_frames: Keep this many frames spread uniformly (segment centres).
        short_side: Resize so that the shorter side has this many pixels (frames: area
            interpolation; flow: the frames as ``Resize(short_side=...)`` resizes them, then
            the flow); ``None`` keeps the size.
        quality: JPEG quality, 1-100.
        overwrite: Redo a folder that is already complete instead of skipping it.
        flow: Write the flow between consecutive kept frames instead, computed by this
            transform's method at the stored size and quantised as flow images
            (``vidreg/pipeline/flow.py``): ``x_00001.jpg``/``y_00001.jpg`` for frames
            1 -> 2, ... (MMAction2's rawframes layout). ``num_frames`` does not apply.
        image_format: ``'jpg'`` or ``'png'`` (lossless: flow images then hold exactly the
            levels ``OpticalFlow`` computes; bigger files).

    Returns:
        The result; ``status='failed'`` carries the reason in ``error``.
    """
    if fps is not None and num_frames is not None:
        raise ValueError('Give at most one of fps and num_frames.')
    if flow is not None and num_frames is not None:
        raise ValueError('Flow needs consecutive frames: give fps or nothing, not num_frames.')
    if image_format not in ('jpg', 'png'):
        raise ValueError(f"image_format must be 'jpg' or 'png', got {image_format!r}")
    kind: Kind = 'frames' if flow is None else 'flow'
    options = extraction_options(fps=fps, num_frames=num_frames, short_side=short_side,
                                 quality=quality, flow=flow, image_format=image_format)
    if osp.lexists(job.output) and not osp.isdir(job.output):
        return ExtractResult(job.video, job.output, 'failed',
                             error=f'{job.output} exists and is not a folder: move it away')
    if not overwrite:
        finished = _finished(job, kind, options)
        if finished is not None:
            return finished
    parent, name = osp.split(job.output)
    mark = f'.{name}.{kind}{_TMP_MARK}'  # per kind: frames and flow may run at once
    for stale_mark in (mark, f'.{name}{_TMP_MARK}'):  # and as versions before records named it
        for stale in glob.glob(osp.join(glob.escape(parent), f'{glob.escape(stale_mark)}*')):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed run
    tmp = osp.join(parent, f'{mark}{uuid.uuid4().hex[:8]}')
    count, counts = 0, FrameCounts()
    try:
        os.makedirs(tmp)
        if flow is not None:
            count = _write_flow(tmp, (frame.to_ndarray(format='bgr24')
                                      for frame in decode_in_order(job.video, fps, counts)),
                                flow, short_side, quality, image_format)
        elif num_frames is not None:
            for rgb in _uniform_frames(job.video, num_frames, counts):
                count += 1
                _write(tmp, count, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), short_side, quality,
                       image_format=image_format)
        else:
            for frame in decode_in_order(job.video, fps, counts):
                count += 1
                _write(tmp, count, frame.to_ndarray(format='bgr24'), short_side, quality,
                       image_format=image_format)
        if count == 0:
            raise VideoReadError(job.video, 'no frame (pair) could be decoded')
        record = ExtractionRecord(kind, job.video, count, counts.header, counts.decoded,
                                  options)
        write_record(tmp, record)
        move_into_place(tmp, job.output, record)
    except (VideoReadError, OSError, ValueError) as err:
        return ExtractResult(job.video, job.output, 'failed', count, str(err), counts.header,
                             counts.decoded)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone once moved; left only by a failure
    return ExtractResult(job.video, job.output, 'done', count, '', counts.header,
                         counts.decoded)


def extraction_options(*, fps: Optional[float], num_frames: Optional[int],
                       short_side: Optional[int], quality: int, flow: Optional[OpticalFlow],
                       image_format: ImageFormat) -> dict:
    """The options that decide a folder's images, as its record keeps them."""
    options = dict(fps=fps, num_frames=num_frames, short_side=short_side, format=image_format)
    if image_format == 'jpg':
        options['quality'] = quality
    if flow is not None:
        options.update(method=flow.method, preset=flow.preset, bound=flow.bound)
    return options


def _finished(job: ExtractJob, kind: Kind, options: dict) -> Optional[ExtractResult]:
    """The result for a folder that needs no work (done, or done otherwise), else ``None``.

    A complete record whose images are all there: skipped, with the counts it keeps (a
    truncated video is reported again), or failed if it was made with other options. Images
    of ``kind`` but no record (an extraction before records were kept, or another tool's):
    skipped. An interrupted or damaged extraction, or a folder without images of ``kind``
    (e.g. holding the other kind): ``None``, extract it.
    """
    if not osp.isdir(job.output):
        return None
    try:
        record = read_record(job.output, kind)
    except ValueError:
        return None  # a damaged record: redo the folder
    if record is None:
        names = own_images(job.output, kind)
        count = len(names) if kind == 'frames' else sum(n.startswith('x_') for n in names)
        return ExtractResult(job.video, job.output, 'skipped', count) if count else None
    if not record.complete or count_own_images(job.output, record) < record.images:
        return None
    if record.options != options:
        changed = changed_options_text(record.options, options)
        return ExtractResult(job.video, job.output, 'failed', record.images,
                             f'already extracted with other options: {changed}; rerun with '
                             f'--overwrite to redo it, or extract to another OUTPUT',
                             record.header_frames, record.decoded_frames)
    return ExtractResult(job.video, job.output, 'skipped', record.images, '',
                         record.header_frames, record.decoded_frames)
