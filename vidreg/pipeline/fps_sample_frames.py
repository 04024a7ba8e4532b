"""Sample clips at a fixed frame rate, whatever the video's rate."""

from vidreg.registry import TRANSFORMS

from .frame_indices import (
    PadMode,
    check_pad_mode,
    check_positive,
    strided_clip_indices,
    total_frames_of,
    write_frame_indices,
)
from .step import PipelineStep


@TRANSFORMS.register_module()
class FPSSampleFrames(PipelineStep):
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

    chooses_frames = True  # a frame sampler (a dataset with clips=... rejects it)

    def __init__(self, *, fps: float, num_frames: int, num_clips: int = 1,
                 pad_mode: PadMode = 'loop') -> None:
        check_positive(fps=fps, num_frames=num_frames, num_clips=num_clips)
        check_pad_mode(pad_mode)
        self.fps = fps
        self.num_frames = num_frames
        self.num_clips = num_clips
        self.pad_mode = pad_mode

    def transform(self, results: dict) -> dict:
        avg_fps = results.get('avg_fps')
        if not avg_fps or avg_fps <= 0:
            raise ValueError(
                f"FPSSampleFrames needs the video's frame rate, but avg_fps is {avg_fps!r} for "
                f"{results.get('filename')!r}; for frame folders set OpenVideo(frame_fps=...).")
        indices = strided_clip_indices(
            total_frames_of(results), self.num_frames, avg_fps / self.fps, self.num_clips,
            test_mode=bool(results.get('test_mode', False)), pad_mode=self.pad_mode)
        return write_frame_indices(results, indices, self.num_clips, self.num_frames)
