"""Sample clips of consecutive frames at a fixed stride."""
from typing import Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from .frame_indices import PadMode, check_pad_mode, check_positive, strided_clip_indices
from .frame_sampler import FrameSampler


@TRANSFORMS.register_module()
class SampleFrames(FrameSampler):
    """Take ``num_clips`` clips of ``num_frames`` frames, ``frame_interval`` apart.

    Each clip spans ``(num_frames - 1) * frame_interval + 1`` frames. The valid
    start frames are split into ``num_clips`` equal ranges: train mode draws a
    random start in each range, test mode takes each range's centre (one clip:
    the centred clip; several: clips spread evenly over the video, as in dense
    multi-clip testing). A video shorter than one span starts at frame 0 and
    is padded.

    Required keys: ``total_frames``, ``test_mode`` (optional, default False).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``),
    ``num_clips``, ``num_frames``.

    Args:
        num_frames: Frames per clip (T).
        frame_interval: Stride between sampled frames, in frames.
        num_clips: Clips (temporal views) per video.
        pad_mode: Padding of videos shorter than one clip span: ``'loop'`` or
            ``'repeat_last'``.
    """

    def __init__(self, *, num_frames: int, frame_interval: int = 1, num_clips: int = 1,
                 pad_mode: PadMode = 'loop') -> None:
        check_positive(num_frames=num_frames, frame_interval=frame_interval, num_clips=num_clips)
        check_pad_mode(pad_mode)
        self.num_frames = num_frames
        self.frame_interval = frame_interval
        self.num_clips = num_clips
        self.pad_mode = pad_mode

    def clip_indices(self, total_frames: int, fps: Optional[float], *, test_mode: bool,
                     clip_index: Optional[int] = None) -> np.ndarray:
        indices = strided_clip_indices(total_frames, self.num_frames, self.frame_interval,
                                       self.num_clips, test_mode=test_mode,
                                       pad_mode=self.pad_mode)
        return indices.reshape(self.num_clips, self.num_frames)
