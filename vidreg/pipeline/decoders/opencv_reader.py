"""Video reader on OpenCV: one ``CAP_PROP_POS_FRAMES`` seek, then ``grab()`` forward."""
import os
from typing import Optional

import cv2
import numpy as np

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike, VideoReadError


@VIDEO_DECODERS.register_module()
class OpenCVReader(BaseVideoReader):
    """Read frames of a video file with ``cv2.VideoCapture``.

    A read seeks once (``CAP_PROP_POS_FRAMES``) to the first wanted frame,
    unless the capture is already there, then ``grab()``\\ s forward and
    ``retrieve()``\\ s (colour-converts) only the wanted frames. If the video
    ends before a wanted frame, the last real frame stands in for it and
    :attr:`total_frames` becomes the real count.

    Args:
        path: The video file.
    """

    def __init__(self, path: PathLike) -> None:
        super().__init__(path)
        self._cap: Optional[cv2.VideoCapture] = None
        self._open()
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and fps > 0 else None
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT))
        if count <= 0:  # some containers carry no count: count by grabbing
            count = self._count_by_grabbing()
        if count <= 0:
            self.close()
            raise VideoReadError(self.path, 'it has no video frame')
        self.total_frames = count

    def _open(self) -> None:
        if not os.path.isfile(self.path):
            raise VideoReadError(self.path, 'the file does not exist',
                                 hint='Fix the path in the annotation file.')
        if self._cap is not None:
            self._cap.release()
        self._cap = cv2.VideoCapture(self.path)
        if not self._cap.isOpened():
            raise VideoReadError(self.path, 'OpenCV cannot open it')
        self._pos = 0  # index of the frame the next grab() returns

    def _count_by_grabbing(self) -> int:
        count = 0
        while self._cap.grab():
            count += 1
        self._open()
        return count

    def _retrieve(self) -> Optional[np.ndarray]:
        ok, bgr = self._cap.retrieve()
        return self._finish(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)) if ok else None

    def _read_sorted(self, wanted: np.ndarray) -> list[np.ndarray]:
        first, last_wanted = int(wanted[0]), int(wanted[-1])
        if first != self._pos:
            if first < self._pos and first == 0:
                self._open()
            else:
                self._cap.set(cv2.CAP_PROP_POS_FRAMES, first)
                self._pos = first
        want = set(wanted.tolist())
        frames: dict[int, np.ndarray] = {}
        index = self._pos - 1
        while index < last_wanted and self._cap.grab():
            index += 1
            if index in want:
                frame = self._retrieve()
                if frame is None:
                    break
                frames[index] = frame
        self._pos = index + 1
        if index >= last_wanted:
            return self._assemble(wanted, frames, None, None)
        # The video ended before the last wanted frame.
        if index >= first:  # the seek landed: index is the real last frame
            last = frames.get(index)
            if last is None:
                last = self._read_one(index)
            if last is not None:
                return self._assemble(wanted, frames, last, index + 1)
        return self._read_to_end(wanted)

    def _read_one(self, index: int) -> Optional[np.ndarray]:
        self._cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        frame = self._retrieve() if self._cap.grab() else None
        self._pos = index + 1
        return frame

    def _read_to_end(self, wanted: np.ndarray) -> list[np.ndarray]:
        """Slow path for a wrong frame count: decode from the start to the real end."""
        self._open()
        want = set(wanted.tolist())
        frames: dict[int, np.ndarray] = {}
        index, last = -1, None
        while self._cap.grab():
            frame = self._retrieve()
            if frame is None:
                break
            index, last = index + 1, frame
            if index in want:
                frames[index] = frame
        self._open()
        return self._assemble(wanted, frames, last, index + 1)

    def _release(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
