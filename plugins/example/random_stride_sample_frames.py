"""Sample clips of consecutive frames at a stride drawn per clip (speed augmentation)."""
from typing import Optional, Tuple

import numpy as np

from vidreg.pipeline import (
    FrameSampler,
    PadMode,
    check_pad_mode,
    check_positive,
    strided_clip_indices,
)
from vidreg.registry import TRANSFORMS

__all__ = ['RandomStrideSampleFrames']


@TRANSFORMS.register_module()
class RandomStrideSampleFrames(FrameSampler):
    """Like ``SampleFrames``, but in training each clip draws its own stride.

    Training: each clip's stride is an integer drawn uniformly from
    ``stride_range``, limited to the strides whose clip fits in the video
    (never below ``stride_range[0]``), so the model sees the motion at several
    speeds. Its start is random within the clip's share of the video, as in
    ``SampleFrames``. Test mode (``test_mode=True``): every clip uses
    ``test_stride`` and the centre of its share; nothing random is drawn. Videos
    shorter than one clip span start at frame 0 and are padded with ``pad_mode``.

    A :class:`~vidreg.pipeline.FrameSampler`: it implements :meth:`clip_indices` and keeps T
    in ``num_frames``; the base class writes ``frame_inds`` (int64 ``(num_clips *
    num_frames,)``, clip-major), ``num_clips`` and ``num_frames`` and declares T to the
    steps after it. One sample per video (the base's :meth:`num_samples`).

    Args:
        num_frames: Frames per clip (T).
        stride_range: Inclusive ``(min, max)`` stride in frames for training.
        test_stride: Stride in test mode; None takes ``(min + max) // 2``.
        num_clips: Clips (temporal views) per video.
        pad_mode: ``'loop'`` or ``'repeat_last'``.
    """

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

    def clip_indices(self, total_frames: int, fps: Optional[float], *, test_mode: bool,
                     clip_index: Optional[int] = None) -> np.ndarray:
        """``num_clips`` clips ``(num_clips, num_frames)``, each at its own stride in training."""
        t = self.num_frames
        if test_mode:
            indices = strided_clip_indices(total_frames, t, self.test_stride, self.num_clips,
                                           test_mode=True, pad_mode=self.pad_mode)
        else:  # clip c: the c-th of num_clips clips drawn at its own stride
            indices = np.concatenate([
                strided_clip_indices(total_frames, t, int(stride), self.num_clips,
                                     test_mode=False, pad_mode=self.pad_mode)[c * t:(c + 1) * t]
                for c, stride in enumerate(self._draw_strides(total_frames))])
        return indices.reshape(self.num_clips, t)
