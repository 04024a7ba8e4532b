"""Sample clips of consecutive frames at a stride drawn per clip (speed augmentation)."""
from typing import Optional, Tuple

import numpy as np

from vidreg.pipeline import (
    PadMode,
    PipelineStep,
    check_pad_mode,
    check_positive,
    strided_clip_indices,
    total_frames_of,
    write_frame_indices,
)
from vidreg.registry import TRANSFORMS

__all__ = ['RandomStrideSampleFrames']


@TRANSFORMS.register_module()
class RandomStrideSampleFrames(PipelineStep):
    """Like ``SampleFrames``, but in training each clip draws its own stride.

    Training: each clip's stride is an integer drawn uniformly from
    ``stride_range``, limited to the strides whose clip fits in the video
    (never below ``stride_range[0]``), so the model sees the motion at several
    speeds. Its start is random within the clip's share of the video, as in
    ``SampleFrames``. Test mode (``test_mode=True``): every clip uses
    ``test_stride`` and the centre of its share; nothing random is drawn. Videos
    shorter than one clip span start at frame 0 and are padded with ``pad_mode``.

    Required keys: ``total_frames``, ``test_mode`` (optional, default False).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``, clip-major),
    ``num_clips``, ``num_frames``.

    Args:
        num_frames: Frames per clip (T).
        stride_range: Inclusive ``(min, max)`` stride in frames for training.
        test_stride: Stride in test mode; None takes ``(min + max) // 2``.
        num_clips: Clips (temporal views) per video.
        pad_mode: ``'loop'`` or ``'repeat_last'``.
    """

    chooses_frames = True  # a frame sampler (a dataset with clips=... rejects it)

    def __init__(self, *, num_frames: int, stride_range: Tuple[int, int] = (1, 4),
                 test_stride: Optional[int] = None, num_clips: int = 1,
                 pad_mode: PadMode = 'loop') -> None:
        low, high = stride_range
        check_positive(num_frames=num_frames, num_clips=num_clips, min_stride=low)
        if high < low:
            raise ValueError(f'stride_range must be (min, max) with min <= max, got {stride_range}')
        test_stride = (low + high) // 2 if test_stride is None else test_stride
        check_positive(test_stride=test_stride)
        check_pad_mode(pad_mode)
        self.num_frames = num_frames
        self.stride_range = (int(low), int(high))
        self.test_stride = test_stride
        self.num_clips = num_clips
        self.pad_mode = pad_mode

    def _draw_strides(self, total_frames: int) -> np.ndarray:
        low, high = self.stride_range
        if self.num_frames > 1:  # the largest stride whose clip spans at most the video
            high = max(low, min(high, (total_frames - 1) // (self.num_frames - 1)))
        return np.random.randint(low, high + 1, size=self.num_clips)

    def transform(self, results: dict) -> dict:
        total = total_frames_of(results)
        t = self.num_frames
        if results.get('test_mode', False):
            indices = strided_clip_indices(total, t, self.test_stride, self.num_clips,
                                           test_mode=True, pad_mode=self.pad_mode)
        else:  # clip c: the c-th of num_clips clips drawn at its own stride
            indices = np.concatenate([
                strided_clip_indices(total, t, int(stride), self.num_clips, test_mode=False,
                                     pad_mode=self.pad_mode)[c * t:(c + 1) * t]
                for c, stride in enumerate(self._draw_strides(total))])
        return write_frame_indices(results, indices, self.num_clips, t)
