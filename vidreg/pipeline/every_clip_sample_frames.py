"""Every whole clip of a video, a new one every ``stride`` sampled frames (as ``VideoClips``)."""
from typing import Optional, get_args

import numpy as np

from vidreg.registry import TRANSFORMS

from .frame_indices import PadMode, every_clip_indices
from .frame_sampler import FrameSampler


@TRANSFORMS.register_module()
class EveryClipSampleFrames(FrameSampler):
    """Every clip of the video, each its own sample: seed 004's sampling modes.

    The sampled frames are every native frame (``fps=None``, ``frame_interval=1``: seed
    004's mode 1), every ``frame_interval``-th one, or the video resampled to ``fps``
    frames per second (seed 004's mode 2: ``fps=6, num_frames=3, stride=6``, one clip per
    second). Clip ``k`` holds ``num_frames`` consecutive sampled frames from ``k * stride``
    sampled frames in. Only whole clips are taken
    (:func:`~vidreg.pipeline.frame_indices.every_clip_indices`); a video shorter
    than one clip gives one clip padded with ``pad_mode``, never none (torchvision drops
    it). Nothing is random.

    In a dataset every clip is a sample (:attr:`needs_header`): the dataset reads each
    video's header when it is built (its reader is the pipeline's first ``OpenVideo``'s;
    a video that cannot be opened, or has no frame rate when ``fps`` is set, is a bad
    row) and lists one row per clip with its ``clip_index``; the metrics report the
    videos (their clips' scores averaged) and the clips (``clip/`` keys). Given a whole
    video without ``clip_index`` (inference, the deployment runner), the clips are the
    views of one sample: the video-level prediction the test reports (mode 1 on a long
    video makes a view per frame: infer it in windows).

    Required keys: ``total_frames``, ``avg_fps`` (when ``fps`` is set), ``clip_index``
    (optional).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``), ``num_clips``,
    ``num_frames``.

    Args:
        num_frames: Frames per clip (T).
        stride: Sampled frames between the starts of consecutive clips (1: a clip at every
            sampled frame).
        fps: Rate the video is resampled to, frames per second; ``None`` takes every
            ``frame_interval``-th native frame. Needs the video's frame rate (frame folders:
            ``FrameFolderReader(fps=...)``).
        frame_interval: Native frames between sampled frames when ``fps`` is ``None``.
        pad_mode: Padding of videos shorter than one clip: ``'repeat_last'`` (default: the
            clip stays in temporal order, which the temporal streams rely on) or ``'loop'``
            (the other samplers' default; it wraps around to the first frames).
    """

    needs_header = True  # the number of clips depends on the video's length (and rate)

    def __init__(self, *, num_frames: int, stride: float = 1, fps: Optional[float] = None,
                 frame_interval: float = 1, pad_mode: PadMode = 'repeat_last') -> None:
        for name, value in dict(num_frames=num_frames, stride=stride,
                                frame_interval=frame_interval, fps=fps).items():
            if value is not None and not value > 0:
                raise ValueError(f'{name} must be > 0, got {value!r}')
        if fps is not None and frame_interval != 1:
            raise ValueError(f'give fps (a rate, {fps}) or frame_interval (native frames, '
                             f'{frame_interval}), not both')
        if pad_mode not in get_args(PadMode):
            raise ValueError(f'pad_mode must be one of {get_args(PadMode)}, got {pad_mode!r}')
        self.num_frames = int(num_frames)
        self.stride = stride
        self.fps = fps
        self.frame_interval = frame_interval
        self.pad_mode = pad_mode

    def every_clip(self, total_frames: int, fps: Optional[float]) -> np.ndarray:
        """Every clip of a video of ``total_frames`` at ``fps``, int64 ``(num_clips, T)``.

        Raises:
            ValueError: ``fps`` is set and the video's rate is unknown.
        """
        if self.fps is None:
            interval = self.frame_interval
        elif fps and fps > 0:
            interval = fps / self.fps
        else:
            raise ValueError(f"its frame rate is unknown ({fps!r}) and clips are resampled to "
                             f"fps={self.fps}; for frame folders set OpenVideo(reader=dict("
                             f"type='FrameFolderReader', fps=...)), or use clips with fps=None")
        return every_clip_indices(total_frames, self.num_frames, interval, self.stride,
                                  pad_mode=self.pad_mode)

    def num_samples(self, total_frames: int, fps: Optional[float]) -> int:
        """The number of clips of the video."""
        return len(self.every_clip(total_frames, fps))

    def clip_indices(self, total_frames: int, fps: Optional[float], *, test_mode: bool,
                     clip_index: Optional[int] = None) -> np.ndarray:
        """Clip ``clip_index`` of the video, or every clip (its views) without one."""
        clips = self.every_clip(total_frames, fps)
        if clip_index is None:
            return clips
        if not 0 <= clip_index < len(clips):
            raise ValueError(f'clip {clip_index} asked of a video of {len(clips)} clips '
                             f'({total_frames} frames): was the video replaced after the '
                             f'dataset read its header?')
        return clips[clip_index:clip_index + 1]
