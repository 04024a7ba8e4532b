"""Videos -> folders of JPEG (or PNG) frames (``img_00001.jpg``, ...) or flow images
(``x_00001.jpg``, ``y_00001.jpg``), resumable and safe to interrupt.

Each video is written into a hidden temporary folder next to its destination and renamed
into place only when all its frames are on disk, so a folder with the final name is always
complete: a rerun skips it, and deletes and redoes the temporary folder of a video whose run
was killed. ``tools/extract_frames.py`` and ``tools/extract_flow.py`` are the command-line
front ends.
"""
import glob
import os
import os.path as osp
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Optional

import av
import cv2
import numpy as np

from vidreg.datasets.annotation_csv import read_csv_table
from vidreg.datasets.decoders import VideoReadError, build_video_reader, mirrored_folder
from vidreg.datasets.flow_images import quantize_flow
from vidreg.datasets.transforms.optical_flow import OpticalFlow
from vidreg.datasets.transforms.resize import Resize

__all__ = ['VIDEO_EXTENSIONS', 'FRAME_TEMPLATE', 'ExtractJob', 'ExtractResult', 'find_videos',
           'read_video_list', 'plan_jobs', 'extract_video', 'frame_selector', 'FLOW_TEMPLATES']

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.m4v', '.mpg', '.mpeg', '.flv',
                    '.wmv', '.3gp')
FRAME_TEMPLATE = 'img_{:05d}.{ext}'  # numbered from 1, like MMAction2's rawframes
FLOW_TEMPLATES = ('x_{:05d}.{ext}', 'y_{:05d}.{ext}')  # flow of frames i -> i + 1, from 1
ImageFormat = Literal['jpg', 'png']
_TMP_MARK = '.tmp-'


@dataclass(frozen=True)
class ExtractJob:
    """One video and the frame folder it goes to."""

    video: str
    folder: str


@dataclass(frozen=True)
class ExtractResult:
    """What became of one job: ``status`` is ``'done'``, ``'skipped'`` or ``'failed'``."""

    video: str
    folder: str
    status: Literal['done', 'skipped', 'failed']
    num_frames: int = 0
    error: str = ''


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
    """
    table = read_csv_table(csv_file, header=f'{path_column},...')
    if path_column not in table.columns:
        raise ValueError(f'{csv_file}: no column {path_column!r}; found {list(table.columns)}.')
    root = osp.dirname(osp.abspath(csv_file)) if root is None else root
    return [osp.normpath(osp.join(root, path.strip())) for path in table[path_column]]


def plan_jobs(videos: list[str], input_root: str, output_root: str) -> list[ExtractJob]:
    """Mirror each video's path below ``input_root`` under ``output_root``, minus its extension
    (:func:`~vidreg.datasets.decoders.mirrored_folder`, which ``OpenVideo(video_root=...,
    mirror_root=...)`` uses to find the folder again).

    Raises:
        ValueError: A video lies outside ``input_root``, or two videos (``a.mp4`` and
            ``a.avi``) would share a folder.
    """
    jobs, owners = [], {}
    for video in videos:
        video = osp.abspath(video)
        folder = mirrored_folder(video, input_root, output_root)
        if folder in owners:
            raise ValueError(f'{owners[folder]!r} and {video!r} would both extract to {folder!r}.')
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


def _decode_in_order(video: str, fps: Optional[float]) -> Iterator[av.VideoFrame]:
    """Every frame of the video (or those kept at ``fps``), by sequential decoding."""
    try:
        with av.open(video) as container:
            if not container.streams.video:
                raise VideoReadError(video, 'it has no video stream')
            stream = container.streams.video[0]
            stream.thread_type = 'AUTO'
            rate = stream.average_rate or stream.guessed_rate
            keep = frame_selector(fps, float(rate) if rate else None)
            for frame in container.decode(stream):
                if next(keep):
                    yield frame
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as err:
        raise VideoReadError(video, f'FFmpeg cannot decode it ({err})') from None


def _uniform_frames(video: str, num_frames: int) -> np.ndarray:
    """``num_frames`` frames at the centres of equal segments, RGB ``(N, H, W, 3)``."""
    with build_video_reader(video, dict(type='PyAVReader')) as reader:
        total = reader.total_frames
        frames = reader.read(_segment_centres(total, num_frames))
        if reader.total_frames < total:  # the header overstated the count: sample the real one
            frames = reader.read(_segment_centres(reader.total_frames, num_frames))
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
    """Extract one video's frames (or flow images) into ``job.folder``; never raises for a bad
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
            (``vidreg/datasets/flow_images.py``): ``x_00001.jpg``/``y_00001.jpg`` for frames
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
    if osp.isdir(job.folder) and not overwrite:
        pattern = f'x_*.{image_format}' if flow is not None else f'img_*.{image_format}'
        return ExtractResult(job.video, job.folder, 'skipped',
                             len(glob.glob(osp.join(glob.escape(job.folder), pattern))))
    parent, name = osp.split(job.folder)
    for stale in glob.glob(osp.join(glob.escape(parent), f'.{glob.escape(name)}{_TMP_MARK}*')):
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed run
    tmp = osp.join(parent, f'.{name}{_TMP_MARK}{uuid.uuid4().hex[:8]}')
    count = 0
    try:
        os.makedirs(tmp)
        if flow is not None:
            count = _write_flow(tmp, (frame.to_ndarray(format='bgr24')
                                      for frame in _decode_in_order(job.video, fps)),
                                flow, short_side, quality, image_format)
        elif num_frames is not None:
            for rgb in _uniform_frames(job.video, num_frames):
                count += 1
                _write(tmp, count, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), short_side, quality,
                       image_format=image_format)
        else:
            for frame in _decode_in_order(job.video, fps):
                count += 1
                _write(tmp, count, frame.to_ndarray(format='bgr24'), short_side, quality,
                       image_format=image_format)
        if count == 0:
            raise VideoReadError(job.video, 'no frame (pair) could be decoded')
        if overwrite and osp.isdir(job.folder):
            shutil.rmtree(job.folder)
        os.rename(tmp, job.folder)  # atomic: the folder appears complete or not at all
    except (VideoReadError, OSError, ValueError) as err:
        shutil.rmtree(tmp, ignore_errors=True)
        return ExtractResult(job.video, job.folder, 'failed', count, str(err))
    return ExtractResult(job.video, job.folder, 'done', count)
