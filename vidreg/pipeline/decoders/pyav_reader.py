"""Video reader on PyAV (FFmpeg): one keyframe seek, then a forward decode."""
import os
from fractions import Fraction
from typing import Optional

import numpy as np

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike, VideoReadError

try:
    import av
    from av.video.reformatter import VideoReformatter
except ImportError:  # the OpenCV reader still works
    av = VideoReformatter = None


class _UnreliableTimestamps(Exception):
    """Frame indices cannot be derived from this stream's timestamps."""


@VIDEO_DECODERS.register_module()
class PyAVReader(BaseVideoReader):
    """Read frames of a video file with PyAV.

    A read seeks once to the keyframe at or before the first wanted frame,
    decodes forward to the last wanted frame and converts to RGB only the
    frames wanted. Each decoded frame's index is computed from its timestamp
    (``(pts - start) * time_base * average_rate``) and checked: the first
    frame after the seek must be a keyframe at or before the target, and the
    following indices must step by exactly one. If a check fails (variable
    frame rate, missing timestamps, AVI with packed B-frames) the reader
    falls back, for this and later reads, to decoding from the start and
    counting frames, which is always exact.

    Args:
        path: The video file.
        num_threads: FFmpeg decoding threads (``thread_type='AUTO'``); 0 lets
            FFmpeg choose. Use 1 with many DataLoader workers.
    """

    def __init__(self, path: PathLike, num_threads: int = 0) -> None:
        super().__init__(path)
        if av is None:
            raise ImportError('PyAVReader needs PyAV: `pip install av`, or use backend="opencv".')
        self._num_threads = num_threads
        self._container = None
        # One colour converter for every frame: ``frame.to_ndarray(format=...)`` builds a new
        # swscale context per frame, which costs ten times the conversion itself.
        self._reformatter = VideoReformatter()
        self._open()
        stream = self._stream
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        self.fps = float(rate) if rate else None
        self._start_pts = stream.start_time or 0
        # Frames per pts tick; None disables timestamp-based seeking.
        self._frames_per_pts: Optional[Fraction] = (
            Fraction(stream.time_base) * Fraction(rate) if rate and stream.time_base else None)
        self.total_frames = self._count_hint()
        if self.total_frames <= 0:
            self.close()
            raise VideoReadError(self.path, 'it has no video frame')
        self._seekable = self._frames_per_pts is not None and not self._timestamps_suspect()

    def _open(self) -> None:
        if not os.path.isfile(self.path):
            raise VideoReadError(self.path, 'the file does not exist',
                                 hint='Fix the path in the annotation file.')
        try:
            self._container = av.open(self.path)
        except (av.error.FFmpegError, OSError, UnicodeDecodeError) as err:
            raise VideoReadError(self.path, f'FFmpeg cannot open it ({err})') from None
        if not self._container.streams.video:
            self.close()
            raise VideoReadError(self.path, 'it has no video stream')
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = 'AUTO'
        if self._num_threads:
            self._stream.codec_context.thread_count = self._num_threads
        self._fresh = True  # nothing decoded yet: the next frame is frame 0

    def _count_hint(self) -> int:
        stream = self._stream
        if stream.frames > 0:
            return int(stream.frames)
        if stream.duration and self._frames_per_pts:
            return int(round(stream.duration * self._frames_per_pts))
        if self._container.duration and self.fps:
            return int(round(self._container.duration / av.time_base * self.fps))
        count = sum(1 for packet in self._container.demux(self._stream) if packet.size)
        self._reopen()
        return count

    def _timestamps_suspect(self) -> bool:
        stream = self._stream
        # AVI has no presentation timestamps: with B-frames the decoder's pts are reordered.
        if 'avi' in self._container.format.name.split(',') and stream.codec_context.has_b_frames:
            return True
        # A frame count that disagrees with duration x rate means a variable frame rate.
        if stream.frames > 0 and stream.duration:
            expected = float(stream.duration * self._frames_per_pts)
            return abs(expected - stream.frames) > max(2.0, 0.01 * stream.frames)
        return False

    def _reopen(self) -> None:
        self._container.close()
        self._open()

    def _pts_to_index(self, pts: Optional[int]) -> Optional[int]:
        """Frame index of a timestamp, or ``None`` if it falls between frames."""
        if pts is None:
            return None
        # Integer form of round((pts - start) * num / den), checked within 0.3 of a frame.
        num, den = self._frames_per_pts.numerator, self._frames_per_pts.denominator
        scaled = (pts - self._start_pts) * num
        index = (2 * scaled + den) // (2 * den)
        return index if 10 * abs(scaled - index * den) < 3 * den else None

    def _read_sorted(self, wanted: np.ndarray) -> list[np.ndarray]:
        if self._seekable:
            try:
                return self._decode(wanted, by_pts=True)
            except _UnreliableTimestamps:
                self._seekable = False
        return self._decode(wanted, by_pts=False)

    def _decode(self, wanted: np.ndarray, by_pts: bool, skip_unwanted: bool = True
                ) -> list[np.ndarray]:
        """Decode the sorted unique ``wanted`` frames in one forward pass.

        With ``by_pts`` a frame's index comes from its timestamp (after one
        seek when the reader is not at the start); the decoder then skips the
        non-reference frames that are not wanted (``skip_frame='NONREF'``,
        decided per packet from its timestamp), which nothing else depends on.
        Without ``by_pts`` it decodes every frame from the start and counts.
        """
        first, last_wanted = int(wanted[0]), int(wanted[-1])
        if by_pts and (first > 0 or not self._fresh):
            target = self._start_pts + int(round(first / self._frames_per_pts))
            try:
                self._container.seek(target, stream=self._stream, backward=True, any_frame=False)
            except av.error.FFmpegError:
                raise _UnreliableTimestamps from None
        elif not by_pts and not self._fresh:
            self._reopen()
        self._fresh = False
        skip_unwanted = by_pts and skip_unwanted
        codec = self._stream.codec_context
        want = set(wanted.tolist())
        frames: dict[int, np.ndarray] = {}
        index, last_frame, skipped, done = -1, None, False, False
        try:
            for packet in self._container.demux(self._stream):
                if skip_unwanted:
                    packet_index = self._pts_to_index(packet.pts)
                    skip = packet_index is not None and packet_index not in want
                    codec.skip_frame = 'NONREF' if skip else 'DEFAULT'
                    skipped = skipped or skip
                for frame in packet.decode():
                    if by_pts:
                        new = self._pts_to_index(frame.pts)
                        if index < 0:  # where the seek landed: a keyframe at or before `first`
                            trusted = new is not None and new <= first and frame.key_frame
                        elif skip_unwanted:  # skipped frames leave gaps, never over a wanted one
                            trusted = (new is not None and new > index
                                       and not any(i in want for i in range(index + 1, new)))
                        else:  # one frame at a time
                            trusted = new == index + 1
                        if not trusted:
                            raise _UnreliableTimestamps
                        index = new
                    else:
                        index += 1
                    last_frame = frame
                    if index in want:
                        frames[index] = self._rgb(frame)
                    if index >= last_wanted:
                        done = True
                        break
                if done:
                    break
        except av.error.FFmpegError as err:
            if last_frame is None:  # nothing decodable: a broken file (or a bad seek)
                if by_pts:
                    raise _UnreliableTimestamps from None
                raise VideoReadError(self.path, f'FFmpeg cannot decode it ({err})') from None
            # Otherwise a damaged tail: treat the last good frame as the end.
        finally:
            if skip_unwanted:
                codec.skip_frame = 'DEFAULT'
        end = None if index >= last_wanted else index + 1
        if end is not None and skipped:
            # The video ended early and its last frames may have been skipped: read it again
            # without skipping to find the real last frame.
            self._fresh = False
            return self._decode(wanted, by_pts, skip_unwanted=False)
        if end == 0 and by_pts:
            raise _UnreliableTimestamps
        last = None
        if end is not None and last_frame is not None:
            last = frames.get(index)
            if last is None:
                last = self._rgb(last_frame)
        return self._assemble(wanted, frames, last, end)

    def _rgb(self, frame) -> np.ndarray:
        """The frame as a ``(H, W, 3)`` uint8 RGB array, through :meth:`_finish`."""
        return self._finish(self._reformatter.reformat(frame, format='rgb24').to_ndarray())

    def _release(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None
