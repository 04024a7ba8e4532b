"""TSN sampling: one frame per segment, jittered independently."""
from vidreg.registry import TRANSFORMS

from .uniform_sample_frames import UniformSampleFrames


@TRANSFORMS.register_module()
class SegmentSampleFrames(UniformSampleFrames):
    """Take one frame from each of ``num_frames`` equal segments (TSN).

    Train mode: a random frame in each segment, drawn independently per
    segment (so the spacing varies, unlike :class:`UniformSampleFrames`).
    Test mode: the segment centres (``num_clips`` > 1 spreads the clips'
    offsets evenly inside the segments), exactly as
    :class:`UniformSampleFrames`. A video shorter than ``num_frames`` gives all
    its frames, then padding.

    Required keys: ``total_frames``, ``test_mode`` (optional, default False).

    Added keys: ``frame_inds`` (int64 ``(num_clips * num_frames,)``),
    ``num_clips``, ``num_frames``.

    Args:
        num_frames: Segments, hence frames per clip (T).
        num_clips: Clips (temporal views) per video.
        pad_mode: Padding of videos shorter than ``num_frames``: ``'loop'`` or
            ``'repeat_last'``.
    """

    _jitter = 'per_segment'
