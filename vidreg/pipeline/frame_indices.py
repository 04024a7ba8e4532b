"""Frame-index arithmetic for frame samplers: the public helper API for plugins.

A frame sampler reads ``total_frames`` (the video's length), chooses
``num_clips`` clips of ``num_frames`` (T) frames each and stores them with
:func:`write_frame_indices`. All functions return int64 indices in
``[0, total_frames)``, clip-major, with each clip in temporal order before
padding. Randomness comes from the global ``np.random``, which the datasets
seed per sample (exact resume, see ``docs/plugins.md``); with ``test_mode``
nothing random is drawn. ``plugins/example/random_stride_sample_frames.py``
shows a sampler built on them.
"""
from typing import Literal, get_args

import numpy as np

__all__ = ['PadMode', 'check_pad_mode', 'check_positive', 'total_frames_of', 'pad_indices',
           'segment_indices', 'clip_offsets', 'strided_clip_indices', 'every_clip_indices',
           'write_frame_indices']

PadMode = Literal['loop', 'repeat_last']


def check_pad_mode(pad_mode: str) -> None:
    """Raise ``ValueError`` unless ``pad_mode`` is a :data:`PadMode`."""
    if pad_mode not in get_args(PadMode):
        raise ValueError(f'pad_mode must be one of {get_args(PadMode)}, got {pad_mode!r}')


def check_positive(**values: float) -> None:
    """Raise ``ValueError`` for any argument that is not > 0."""
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f'{name} must be > 0, got {value!r}')


def total_frames_of(results: dict) -> int:
    """The ``total_frames`` of a sample, checked to be a positive integer."""
    total = int(results['total_frames'])
    if total <= 0:
        raise ValueError(f"total_frames must be > 0, got {total} for {results.get('filename')!r}")
    return total


def pad_indices(indices: np.ndarray, total_frames: int, pad_mode: PadMode) -> np.ndarray:
    """Bring indices at or past the end of a short video back into range.

    Args:
        indices: Non-negative frame indices, any shape.
        total_frames: Frames in the video, > 0.
        pad_mode: ``'loop'`` wraps around to the start (``i % total``);
            ``'repeat_last'`` repeats the last frame.

    Returns:
        int64 indices of the same shape, in ``[0, total_frames)``.
    """
    indices = np.asarray(indices, dtype=np.int64)
    if pad_mode == 'loop':
        return indices % total_frames
    return np.minimum(indices, total_frames - 1)


def segment_indices(total_frames: int, num_frames: int, num_clips: int, *,
                    test_mode: bool, jitter: Literal['shared', 'per_segment'],
                    pad_mode: PadMode) -> np.ndarray:
    """One frame from each of ``num_frames`` equal segments, for each clip.

    Segment ``k`` covers ``[k * L, (k + 1) * L)`` with ``L = total / num_frames``;
    a frame at relative offset ``u`` in ``[0, 1)`` is ``floor((k + u) * L)``. In
    test mode clip ``c`` uses ``u = (c + 0.5) / num_clips`` in every segment
    (segment centres when ``num_clips`` is 1). In train mode ``u`` is uniform
    random, drawn once per clip (``'shared'``: frames stay evenly spaced) or
    once per segment (``'per_segment'``, TSN). A video with fewer frames than
    segments yields all its frames, then ``pad_mode`` padding.

    Returns:
        int64 ``(num_clips * num_frames,)``.
    """
    if total_frames < num_frames:
        clip = pad_indices(np.arange(num_frames), total_frames, pad_mode)
        return np.tile(clip, num_clips)
    if test_mode:
        offsets = (np.arange(num_clips)[:, None] + 0.5) / num_clips
        offsets = np.broadcast_to(offsets, (num_clips, num_frames))
    elif jitter == 'shared':
        offsets = np.broadcast_to(np.random.rand(num_clips, 1), (num_clips, num_frames))
    else:
        offsets = np.random.rand(num_clips, num_frames)
    positions = (np.arange(num_frames)[None, :] + offsets) * (total_frames / num_frames)
    indices = np.minimum(np.floor(positions).astype(np.int64), total_frames - 1)
    return indices.reshape(-1)


def clip_offsets(num_frames: int, frame_interval: float) -> np.ndarray:
    """Frame offsets of a clip from its start: ``round(j * frame_interval)``, ``j < num_frames``.

    Rounds half up (``floor(x + 0.5)``), so a fractional interval (a target frame rate,
    e.g. 30 / 6 fps = 5, 25 / 6 = 4.17) gives the source frames nearest to the ideal times.
    The clip spans ``offsets[-1] + 1`` frames.

    Returns:
        int64 ``(num_frames,)``, starting at 0.
    """
    return np.floor(np.arange(num_frames) * frame_interval + 0.5).astype(np.int64)


def strided_clip_indices(total_frames: int, num_frames: int, frame_interval: float,
                         num_clips: int, *, test_mode: bool, pad_mode: PadMode) -> np.ndarray:
    """``num_clips`` clips of ``num_frames`` frames, ``frame_interval`` frames apart.

    A clip spans ``span = round((num_frames - 1) * frame_interval) + 1`` frames;
    its ``j``-th frame is ``start + round(j * frame_interval)`` (the interval
    may be fractional, e.g. for a target frame rate). The ``total - span + 1``
    valid starts are split into ``num_clips`` equal ranges, one per clip: test
    mode takes each range's centre (one clip: the centred clip), train mode a
    uniform random start in it. A video shorter than ``span`` starts every
    clip at frame 0 and pads with ``pad_mode``.

    Returns:
        int64 ``(num_clips * num_frames,)``.
    """
    offsets = clip_offsets(num_frames, frame_interval)
    num_starts = total_frames - int(offsets[-1])  # valid start frames
    if num_starts <= 0:
        starts = np.zeros(num_clips, dtype=np.int64)
    else:
        base = np.arange(num_clips) + (0.5 if test_mode else np.random.rand(num_clips))
        starts = np.floor(base * (num_starts / num_clips)).astype(np.int64)
        starts = np.minimum(starts, num_starts - 1)
    indices = starts[:, None] + offsets[None, :]
    return pad_indices(indices, total_frames, pad_mode).reshape(-1)


def every_clip_indices(total_frames: int, num_frames: int, frame_interval: float,
                       clip_stride: float, *, pad_mode: PadMode) -> np.ndarray:
    """Every clip of a video, ``clip_stride`` sampled frames apart (torchvision's ``VideoClips``).

    The video is read as if resampled to one frame every ``frame_interval`` source frames
    (1: every native frame; ``avg_fps / fps`` for a target rate). Clip ``k`` starts at
    source frame ``round(k * clip_stride * frame_interval)`` and its ``j``-th frame is
    ``start + round(j * frame_interval)`` (:func:`clip_offsets`, the rounding of
    :func:`strided_clip_indices`, so every clip has the same spacing as a
    ``SampleFrames``/``FPSSampleFrames`` clip). Only whole clips are taken: clip ``k``
    exists while its last frame is before ``total_frames``, and the tail after the last
    whole clip is not used. A video shorter than one clip span still gives one clip,
    starting at frame 0 and padded with ``pad_mode``: no video is dropped.

    Example: 60 frames at 30 fps, 3 frames at 6 fps (``frame_interval=5``), one clip per
    second (``clip_stride=6``): ``[[0, 5, 10], [30, 35, 40]]``.

    Args:
        total_frames: Frames in the video, > 0.
        num_frames: Frames per clip (T).
        frame_interval: Source frames between a clip's frames, > 0 (may be fractional).
        clip_stride: Sampled frames between the starts of consecutive clips, > 0.
        pad_mode: Padding of a video shorter than one clip span.

    Returns:
        int64 ``(num_clips, num_frames)``, clips in temporal order, ``num_clips >= 1``.
    """
    check_positive(total_frames=total_frames, num_frames=num_frames,
                   frame_interval=frame_interval, clip_stride=clip_stride)
    offsets = clip_offsets(num_frames, frame_interval)
    last_start = total_frames - 1 - int(offsets[-1])  # the last start whose clip fits
    step = clip_stride * frame_interval  # source frames between clip starts
    if last_start < 0:
        return pad_indices(offsets[None, :], total_frames, pad_mode)
    # Largest k with round(k * step) <= last_start; the +1 then -1 pass absorbs rounding.
    count = int(np.floor((last_start + 0.5) / step)) + 2
    starts = np.floor(np.arange(count) * step + 0.5).astype(np.int64)
    starts = starts[starts <= last_start]
    return starts[:, None] + offsets[None, :]


def write_frame_indices(results: dict, indices: np.ndarray, num_clips: int,
                        num_frames: int) -> dict:
    """Store a sampler's output under the keys of the pipeline contract.

    Adds ``frame_inds`` (int64 ``(num_clips * num_frames,)``, clip-major),
    ``num_clips`` and ``num_frames`` (T).
    """
    results['frame_inds'] = np.ascontiguousarray(indices, dtype=np.int64)
    results['num_clips'] = num_clips
    results['num_frames'] = num_frames
    return results
