"""A time window of an open video, seen as a video of its own (sliding-window inference)."""
import numpy as np

from .base_video_reader import BaseVideoReader


class WindowReader(BaseVideoReader):
    """Frames ``[start, start + total_frames)`` of another reader, renumbered from 0.

    A frame sampler given this reader picks its clip inside the window, exactly
    as it picks one inside a whole video. Reads go to the wrapped reader, which
    decodes only the frames asked for, so sliding over a long video keeps one
    clip in memory at a time. :meth:`close` leaves the wrapped reader open (the
    next window uses it); close that one yourself.

    Args:
        reader: An open reader of the whole video.
        start: First frame of the window.
        total_frames: Frames in the window; cut at the end of the video.
    """

    def __init__(self, reader: BaseVideoReader, *, start: int, total_frames: int) -> None:
        super().__init__(reader.path)
        if start < 0 or total_frames <= 0:
            raise ValueError(f'A window needs start >= 0 and total_frames > 0, got start={start}, '
                             f'total_frames={total_frames}.')
        self.reader = reader
        self.start = start
        self.total_frames = max(1, min(total_frames, reader.total_frames - start))
        self.fps = reader.fps

    def _read_sorted(self, wanted: np.ndarray) -> list[np.ndarray]:
        frames, _ = self.reader.read_distinct(wanted + self.start, frame_fn=self._frame_fn)
        return list(frames)
