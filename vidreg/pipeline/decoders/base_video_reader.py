"""The interface every video reader implements, and the error readers raise."""
import ast
import os
import re
from abc import ABC, abstractmethod
from typing import Callable, Optional, Union

import numpy as np

from vidreg.utils.worker_safe_error import worker_original_message

from ..modality import RGB_FRAMES, ModalitySpec

PathLike = Union[str, os.PathLike]

_DEFAULT_HINT = ('Check that it exists and plays (e.g. `ffprobe <file>`); re-encode a damaged '
                 'video (`ffmpeg -i <file> -c:v libx264 fixed.mp4`) or remove it from the '
                 'annotation file.')


class VideoReadError(RuntimeError):
    """A video file or frame folder cannot be opened or decoded.

    The message names the file and says what to do about it. It reads the same when the
    error comes from a DataLoader worker: torch re-raises it as ``VideoReadError(text)``
    with the worker's traceback as ``text``, from which the original message, path and
    reason are recovered (see :mod:`vidreg.utils.worker_safe_error`).

    Args:
        path: The video file, frame folder or frame image that failed.
        reason: What went wrong, e.g. ``'it has no video stream'``; ``None`` for
            ``'it cannot be read'``.
        hint: What the user can do; a generic re-encode/remove hint by default.
    """

    def __init__(self, path: PathLike, reason: Optional[str] = None,
                 hint: Optional[str] = None) -> None:
        original = None if reason is not None or hint is not None \
            else worker_original_message(path, type(self))
        if original is not None:
            self.path, self.reason, self.hint = _parse_message(original)
            super().__init__(original)
            return
        self.path = os.fspath(path)
        self.reason = 'it cannot be read' if reason is None else reason
        self.hint = _DEFAULT_HINT if hint is None else hint
        super().__init__(f'Cannot read video {self.path!r}: {self.reason}. {self.hint}')

    def __reduce__(self) -> tuple:
        # Keep the three fields when the error crosses a DataLoader worker boundary.
        return type(self), (self.path, self.reason, self.hint)


_MESSAGE = re.compile(r"Cannot read video ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"): (.*)\Z", re.S)


def _parse_message(message: str) -> tuple[str, str, str]:
    """``(path, reason, hint)`` of a :class:`VideoReadError` message (hint ``''`` if unknown)."""
    match = _MESSAGE.match(message)
    if match is None:
        return '', message, ''
    path, rest = ast.literal_eval(match.group(1)), match.group(2)
    if rest.endswith(f'. {_DEFAULT_HINT}'):
        return path, rest[:-len(_DEFAULT_HINT) - 2], _DEFAULT_HINT
    return path, rest, ''


_NO_PIXELS = np.zeros((1, 1, 3), np.uint8)


def _discard_frame(rgb: np.ndarray) -> np.ndarray:
    """A ``frame_fn`` that keeps nothing of a decoded frame (see :meth:`decode_all`)."""
    return _NO_PIXELS


class BaseVideoReader(ABC):
    """Random access to the frames of one video, planned as one forward pass.

    Subclasses open the source in ``__init__`` (raising :class:`VideoReadError`
    if it cannot be opened or has no frame), set :attr:`total_frames` and
    :attr:`fps`, and implement :meth:`_read_sorted`.

    Attributes:
        path: The video file or frame folder.
        total_frames: Frame count of the video. Before a read it is the container's hint; a
            read that meets the real end earlier lowers it to the real count.
        fps: Average frame rate, or ``None`` when unknown (frame folders).
        modality: What its frames are (class attribute): RGB; a reader of other data
            (``FlowFolderReader``: flow fields) says so, and ``DecodeFrames`` declares it.
    """

    modality: ModalitySpec = RGB_FRAMES

    def __init__(self, path: PathLike) -> None:
        self.path = os.fspath(path)
        self.total_frames = 0
        self.fps: Optional[float] = None
        self._closed = False
        self._frame_fn: Optional[Callable[[np.ndarray], np.ndarray]] = None

    def read(self, indices: Union[np.ndarray, list[int]]) -> np.ndarray:
        """Decode frames by index.

        Indices may come in any order and repeat; they are sorted and
        de-duplicated, read in one forward pass, then put back in the order
        asked. An index past the real last frame yields the last real frame
        (and :attr:`total_frames` becomes the real count).

        Args:
            indices: Frame indices, ``(N,)`` non-negative integers.

        Returns:
            RGB frames, uint8 ``(N, H, W, 3)``, in the order of ``indices``.
        """
        return self._read(indices, distinct=False)[0]

    def read_distinct(self, indices: Union[np.ndarray, list[int]],
                      frame_fn: Optional[Callable[[np.ndarray], np.ndarray]] = None
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Decode each distinct frame of ``indices`` once.

        Test-time clips overlap (10 clips of 16 frames every 4th over 280
        frames are 120 distinct frames); keeping one copy of each lets the
        transforms work on fewer frames.

        Args:
            indices: Frame indices, ``(N,)`` non-negative integers.
            frame_fn: Applied to each RGB frame ``(H, W, 3)`` kept, as soon as
                it is decoded (while it is in the cache), e.g. a resize: the
                full-size frames are then never copied.

        Returns:
            ``frames``, uint8 ``(M, H', W', 3)`` RGB, the distinct frames in
            ascending index order (through ``frame_fn``), and ``frame_map``,
            int64 ``(N,)``: ``frames[frame_map]`` is what :meth:`read` returns.
        """
        return self._read(indices, distinct=True, frame_fn=frame_fn)

    def decode_all(self) -> int:
        """Decode every frame the header promises, keeping none, and return the real count.

        Slow (a full decode) but exhaustive: what a data check needs, since a sampler may
        draw any of these frames. A video that ends early (a truncated file) lowers
        :attr:`total_frames` to the real count, as :meth:`read` does.

        Returns:
            The number of frames that decode.

        Raises:
            VideoReadError: A frame before the real end cannot be decoded (e.g. a corrupt
                frame image in a folder), or none can.
        """
        self._read(np.arange(max(self.total_frames, 1)), distinct=True, frame_fn=_discard_frame)
        return self.total_frames

    def _read(self, indices: Union[np.ndarray, list[int]], distinct: bool,
              frame_fn: Optional[Callable[[np.ndarray], np.ndarray]] = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """Shared body of :meth:`read` (``distinct=False``) and :meth:`read_distinct`."""
        if self._closed:
            raise ValueError(f'The reader of {self.path!r} is closed.')
        inds = np.asarray(indices).reshape(-1)
        if inds.size == 0:
            raise ValueError(f'No frame index given to read from {self.path!r}.')
        if not np.issubdtype(inds.dtype, np.integer):
            raise TypeError(f'Frame indices must be integers, got dtype {inds.dtype}.')
        if inds.min() < 0:
            raise ValueError(f'Frame indices must be >= 0, got {int(inds.min())}.')
        wanted, inverse = np.unique(inds.astype(np.int64), return_inverse=True)
        inverse = inverse.reshape(-1)
        self._frame_fn = frame_fn
        try:
            frames = self._read_sorted(wanted)  # M arrays (H, W, 3), not copied yet
        finally:
            self._frame_fn = None
        order = range(len(frames)) if distinct else inverse.tolist()
        try:  # the one copy, straight into the order returned
            stacked = np.stack([frames[i] for i in order])
        except ValueError as err:
            raise VideoReadError(self.path, f'its frames differ in size ({err})') from None
        return stacked, inverse if distinct else np.arange(len(inds))

    @abstractmethod
    def _read_sorted(self, wanted: np.ndarray) -> list[np.ndarray]:
        """Read sorted, unique indices; return ``len(wanted)`` uint8 RGB ``(H, W, 3)`` frames.

        Each decoded frame kept goes through :meth:`_finish` as soon as it is
        decoded. The frames may be views of the decoder's buffers: :meth:`read`
        copies them once.
        """

    def _finish(self, rgb: np.ndarray) -> np.ndarray:
        """A decoded RGB frame through the read's ``frame_fn`` (while it is in the cache)."""
        return rgb if self._frame_fn is None else self._frame_fn(rgb)

    def _assemble(self, wanted: np.ndarray, frames: dict[int, np.ndarray],
                  last: Optional[np.ndarray], end: Optional[int]) -> list[np.ndarray]:
        """The frames read in ``wanted`` order, filling indices past the real end.

        Args:
            wanted: Sorted unique indices asked for, ``(M,)``.
            frames: Index -> RGB frame ``(H, W, 3)`` for the indices decoded.
            last: The last real frame, needed when ``end`` is not ``None``.
            end: The real frame count when the read met the end of the
                video before the last wanted index, else ``None``.

        Returns:
            M uint8 ``(H, W, 3)`` frames.
        """
        if end is not None:
            if end <= 0 or last is None:
                raise VideoReadError(self.path, 'no frame could be decoded')
            self.total_frames = end
        out = []
        for index in wanted.tolist():
            frame = frames.get(index)
            if frame is None:
                if end is None or index < end:
                    raise VideoReadError(self.path, f'frame {index} could not be decoded')
                frame = last
            out.append(frame)
        return out

    def close(self) -> None:
        """Release the file handles; the reader cannot be used afterwards."""
        self._closed = True
        self._release()

    def _release(self) -> None:
        """Free the backend's resources (nothing by default)."""

    def __enter__(self) -> 'BaseVideoReader':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(path={self.path!r}, total_frames={self.total_frames}, '
                f'fps={self.fps})')
