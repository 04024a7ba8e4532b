"""Sample frames evenly over the whole video (one frame per equal segment)."""
from typing import Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from .frame_indices import PadMode, check_pad_mode, check_positive, segment_indices
from .frame_sampler import FrameSampler


@TRANSFORMS.register_module()
class UniformSampleFrames(FrameSampler):
    """Take ``num_frames`` evenly spaced frames spanning the whole video.

    The video is cut into ``num_frames`` equal segments and one frame is taken
    at the same relative offset in every segment, so the frames stay evenly
    spaced. Test mode: the segment centres (``num_clips`` > 1 spreads the
    clips' offsets evenly inside the segments). Train mode: a random offset,
    drawn once per clip. A video shorter than ``num_frames`` gives all its
    frames, then padding. Compare :class:`SegmentSampleFrames`, which jitters
    each segment independently.

    Required keys: ``total_frames``, ``test_mode`` (optional, default False).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``),
    ``num_clips``, ``num_frames``.

    Args:
        num_frames: Frames per clip (T).
        num_clips: Clips (temporal views) per video.
        pad_mode: Padding of videos shorter than ``num_frames``: ``'loop'`` or
            ``'repeat_last'``.
    """

    _jitter = 'shared'  # see segment_indices

    def __init__(self, *, num_frames: int, num_clips: int = 1,
                 pad_mode: PadMode = 'loop') -> None:
        check_positive(num_frames=num_frames, num_clips=num_clips)
        check_pad_mode(pad_mode)
        self.num_frames = num_frames
        self.num_clips = num_clips
        self.pad_mode = pad_mode

    def clip_indices(self, total_frames: int, fps: Optional[float], *, test_mode: bool,
                     clip_index: Optional[int] = None) -> np.ndarray:
        indices = segment_indices(total_frames, self.num_frames, self.num_clips,
                                  test_mode=test_mode, jitter=self._jitter,
                                  pad_mode=self.pad_mode)
        return indices.reshape(self.num_clips, self.num_frames)
