"""Reader for a folder of extracted frames (``img_00001.jpg``, ``1.jpg``, ...)."""
import os
import struct
from typing import Optional

import cv2
import numpy as np

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike, VideoReadError
from .frame_listing import cached_frame_names

# cv2.imread flags decoding at 1/8, 1/4, 1/2 of the size (JPEG: in the DCT domain), largest first.
_REDUCED_FLAGS = ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                  (2, cv2.IMREAD_REDUCED_COLOR_2))
# JPEG start-of-frame markers (they hold the image size); C4, C8 and CC are other segments.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def reduced_imread_flag(height: int, width: int, min_short_side: Optional[int]) -> int:
    """The ``cv2.imread`` flag that reduces an image most while keeping its short side.

    Args:
        height: Image height in pixels.
        width: Image width in pixels.
        min_short_side: Smallest short side wanted after the reduction;
            ``None`` for no reduction.

    Returns:
        ``cv2.IMREAD_REDUCED_COLOR_<f>`` for the largest ``f`` in 8, 4, 2 with
        ``min(height, width) // f >= min_short_side``, else ``cv2.IMREAD_COLOR``.
    """
    if min_short_side is not None:
        for factor, flag in _REDUCED_FLAGS:
            if min(height, width) // factor >= min_short_side:
                return flag
    return cv2.IMREAD_COLOR


def jpeg_size(file: str) -> Optional[tuple[int, int]]:
    """``(height, width)`` from a JPEG's frame header, without decoding it.

    Returns:
        The size, or ``None`` if the file cannot be opened or is not a JPEG
        with a readable frame header (then decode it to know its size).
    """
    try:
        f = open(file, 'rb')
    except OSError:
        return None
    with f:
        if f.read(2) != b'\xff\xd8':  # start of image
            return None
        while True:
            byte = f.read(1)
            if byte != b'\xff':
                return None
            while byte == b'\xff':  # a marker, after optional fill bytes
                byte = f.read(1)
            if not byte or byte[0] in (0xD9, 0xDA):  # end of file/image, start of scan
                return None
            if byte[0] == 0x01 or 0xD0 <= byte[0] <= 0xD7:  # markers without a segment
                continue
            length = int.from_bytes(f.read(2), 'big')
            if byte[0] in _JPEG_SOF:
                header = f.read(5)  # precision, height, width
                if len(header) < 5:
                    return None
                height, width = struct.unpack('>HH', header[1:5])
                return (height, width) if height and width else None
            if length < 2:
                return None
            f.seek(length - 2, os.SEEK_CUR)


@VIDEO_DECODERS.register_module()
class FrameFolderReader(BaseVideoReader):
    """Read frames stored as one image per frame in a folder.

    Frame ``i`` is the ``i``-th file in numeric order of the number in its
    name (see :func:`~.frame_listing.list_frame_files`; the listing is cached
    per process, see :func:`~.frame_listing.cached_frame_names`). Images are
    decoded with ``cv2.imdecode`` (``cv2.imread`` flags) and converted to RGB.

    With ``min_short_side``, frames are decoded at a reduced size: 1/8, 1/4
    or 1/2, the largest reduction that keeps the short side of the first
    frame ``>= min_short_side`` (see :func:`reduced_imread_flag`); every frame
    of the folder is read with that one flag. JPEGs are then scaled while
    decoding (in the DCT domain), about twice as fast as a full decode.
    Reading only ever reduces by powers of two, so a following
    ``Resize(short_side=min_short_side)`` still outputs that short side; the
    long side can differ by one pixel where a side is not divisible by the
    factor (libjpeg rounds the reduced size up). Pixels differ slightly from
    a full decode resized with ``INTER_AREA``.

    Args:
        path: The frame folder.
        prefix: File name prefix of the RGB frames, ``None`` to detect it.
        fps: Frame rate the frames were extracted at, if known (needed by
            :class:`FPSSampleFrames`).
        min_short_side: Decode at a reduced size whose short side stays
            ``>= min_short_side`` (set it to the ``short_side`` of the
            following ``Resize``); ``None`` decodes at full size.
    """

    def __init__(self, path: PathLike, *, prefix: Optional[str] = None,
                 fps: Optional[float] = None, min_short_side: Optional[int] = None) -> None:
        super().__init__(path)
        if min_short_side is not None and not (isinstance(min_short_side, int)
                                               and min_short_side > 0):
            raise ValueError(f'min_short_side must be a positive int, got {min_short_side!r}')
        self._files = cached_frame_names(self.path, prefix)
        self.total_frames = len(self._files)
        self.fps = fps
        self.min_short_side = min_short_side
        # The imread flag; with min_short_side, chosen at the first read.
        self._flag: Optional[int] = None if min_short_side else cv2.IMREAD_COLOR

    def _read_sorted(self, wanted: np.ndarray) -> list[np.ndarray]:
        end = self.total_frames if wanted[-1] >= self.total_frames else None
        frames = {index: self._imread(index)
                  for index in wanted.tolist() if index < self.total_frames}
        last = frames.get(self.total_frames - 1)
        if end is not None and last is None:
            last = self._imread(self.total_frames - 1)
        return self._assemble(wanted, frames, last, end)

    def _imread(self, index: int) -> np.ndarray:
        """Frame ``index`` as RGB ``(H, W, 3)``, at the reduced size if one was asked for."""
        if self._flag is None:
            self._flag = self._choose_flag()
        bgr = self._imread_bgr(index, self._flag)
        return self._finish(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))

    def _choose_flag(self) -> int:
        """The imread flag for :attr:`min_short_side`, from the first frame's size."""
        size = jpeg_size(os.path.join(self.path, self._files[0]))
        if size is None:  # not a JPEG: decode it once
            size = self._imread_bgr(0, cv2.IMREAD_COLOR).shape[:2]
        return reduced_imread_flag(*size, self.min_short_side)

    def _imread_bgr(self, index: int, flag: int) -> np.ndarray:
        return self._decode_file(self._files[index], flag)

    def _decode_file(self, name: str, flag: int) -> np.ndarray:
        """Decode the image ``name`` of the folder with the ``cv2.imread`` flag ``flag``."""
        file = os.path.join(self.path, name)
        # Reading the bytes here and decoding them with cv2.imdecode is ~25% faster than
        # cv2.imread(file) on small JPEGs; the pixels are the same.
        try:
            with open(file, 'rb') as f:
                data = f.read()
        except OSError as err:
            raise VideoReadError(file, f'the frame image cannot be read ({err.strerror})',
                                 hint='Check the file, or re-extract the frames of this video.'
                                 ) from None
        bgr = cv2.imdecode(np.frombuffer(data, np.uint8), flag) if data else None
        if bgr is None:
            raise VideoReadError(file, 'OpenCV cannot decode this frame image',
                                 hint='Re-extract the frames of this video.')
        return bgr
