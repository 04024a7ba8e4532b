"""Sample clips at a fixed frame rate, whatever the video's rate."""
from typing import Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from .frame_indices import PadMode, check_pad_mode, check_positive, strided_clip_indices
from .frame_sampler import FrameSampler


@TRANSFORMS.register_module()
class FPSSampleFrames(FrameSampler):
    """Take clips of ``num_frames`` frames sampled at ``fps`` frames per second.

    The stride is ``avg_fps / fps`` source frames (fractional strides are
    rounded per frame), so a 30 fps and a 25 fps video both give frames
    ``1 / fps`` seconds apart. Clip placement and padding are those of
    :class:`SampleFrames`: random starts in train mode, evenly spread centred
    clips in test mode.

    Required keys: ``total_frames``, ``avg_fps``, ``test_mode`` (optional,
    default False).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``),
    ``num_clips``, ``num_frames``.

    Args:
        fps: Target rate in frames per second, e.g. 6.
        num_frames: Frames per clip (T); a clip lasts ``num_frames / fps`` seconds.
        num_clips: Clips (temporal views) per video.
        pad_mode: Padding of videos shorter than one clip: ``'loop'`` or
            ``'repeat_last'``.
    """

    def __init__(self, *, fps: float, num_frames: int, num_clips: int = 1,
                 pad_mode: PadMode = 'loop') -> None:
        check_positive(fps=fps, num_frames=num_frames, num_clips=num_clips)
        check_pad_mode(pad_mode)
        self.fps = fps
        self.num_frames = num_frames
        self.num_clips = num_clips
        self.pad_mode = pad_mode

    def clip_indices(self, total_frames: int, fps: Optional[float], *, test_mode: bool,
                     clip_index: Optional[int] = None) -> np.ndarray:
        if not fps or fps <= 0:
            raise ValueError(f"the video's frame rate is unknown ({fps!r}); for frame folders "
                             f"set OpenVideo(reader=dict(type='FrameFolderReader', fps=...))")
        indices = strided_clip_indices(total_frames, self.num_frames, fps / self.fps,
                                       self.num_clips, test_mode=test_mode,
                                       pad_mode=self.pad_mode)
        return indices.reshape(self.num_clips, self.num_frames)
