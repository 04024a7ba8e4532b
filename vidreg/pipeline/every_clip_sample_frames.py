"""Every whole clip of a video, a new one every ``stride`` sampled frames (as ``VideoClips``)."""
from typing import Optional, get_args

import numpy as np

from vidreg.registry import TRANSFORMS

from .frame_indices import PadMode, every_clip_indices, total_frames_of, write_frame_indices
from .step import PipelineStep


@TRANSFORMS.register_module()
class EveryClipSampleFrames(PipelineStep):
    """Take every clip of the video: seed 004's sampling modes, as views or as samples.

    The sampled frames are every native frame (``fps=None``, ``frame_interval=1``: seed
    004's mode 1), every ``frame_interval``-th one, or the video resampled to ``fps``
    frames per second (seed 004's mode 2: ``fps=6, num_frames=3, stride=6``, one clip per
    second). Clip ``k`` holds ``num_frames`` consecutive sampled frames from ``k * stride``
    sampled frames in. Only whole clips are taken
    (:func:`~vidreg.pipeline.frame_indices.every_clip_indices`); a video shorter
    than one clip gives one clip padded with ``pad_mode``, never none (torchvision drops
    it). Nothing is random.

    Two uses of the same clips:

    - a dataset's ``clips=dict(...)`` holds this class's arguments: each clip is then a
      sample (a row with its ``frame_inds``; the pipeline has no sampler), see
      :class:`~vidreg.datasets.BaseVideoDataset`;
    - as a pipeline step, the clips are the views of one sample (``num_clips`` = their
      number, which depends on the video's length): the video-level prediction of a model
      trained on clip samples. Inference with such a config inserts it (mode 1 on a long
      video makes a view per frame: infer it in windows).

    Required keys: ``total_frames``, ``avg_fps`` (when ``fps`` is set).

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

    chooses_frames = True  # a frame sampler (a dataset with clips=... rejects it)

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

    def interval(self, avg_fps: Optional[float]) -> Optional[float]:
        """Native frames between sampled frames for a video of ``avg_fps``; ``None`` if the
        rate is needed (``fps`` set) but unknown."""
        if self.fps is None:
            return self.frame_interval
        return avg_fps / self.fps if avg_fps and avg_fps > 0 else None

    def clip_indices(self, total_frames: int, avg_fps: Optional[float]) -> np.ndarray:
        """The clips of a video of ``total_frames`` at ``avg_fps``, int64 ``(num_clips, T)``.

        Raises:
            ValueError: ``fps`` is set and the video's rate is unknown.
        """
        interval = self.interval(avg_fps)
        if interval is None:
            raise ValueError(f'its frame rate is unknown ({avg_fps!r}) and clips are resampled '
                             f'to fps={self.fps}')
        return every_clip_indices(total_frames, self.num_frames, interval, self.stride,
                                  pad_mode=self.pad_mode)

    def transform(self, results: dict) -> dict:
        try:
            clips = self.clip_indices(total_frames_of(results), results.get('avg_fps'))
        except ValueError as error:
            raise ValueError(f"EveryClipSampleFrames: {results.get('filename')!r}: {error}; for "
                             f'frame folders set OpenVideo(reader=...) with fps') from None
        return write_frame_indices(results, clips.reshape(-1), len(clips), self.num_frames)
