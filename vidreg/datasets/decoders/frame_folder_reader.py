"""Reader for a folder of extracted frames (``img_00001.jpg``, ``1.jpg``, ...)."""
import os
import re
from collections import defaultdict
from typing import Optional

import cv2
import numpy as np

from vidreg.registry import VIDEO_DECODERS

from .base_video_reader import BaseVideoReader, PathLike, VideoReadError

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff')
# Optical-flow images that share a folder with RGB frames (MMAction2 rawframes layout).
FLOW_PREFIXES = ('x_', 'y_', 'flow_x_', 'flow_y_')
# Prefix, frame number (the last run of digits), extension.
_NAME = re.compile(r'^(?P<prefix>.*?)(?P<number>\d+)(?P<ext>\.[A-Za-z]+)$')


def list_frame_files(folder: str, prefix: Optional[str] = None) -> list[str]:
    """Frame image names of one folder, sorted by frame number.

    Names are ``<prefix><number>.<ext>``; the number is compared as an
    integer, so ``1.jpg, 2.jpg, 10.jpg`` and ``img_00001.jpg`` both sort in
    temporal order. Images without a number are ignored.

    Args:
        folder: The frame folder.
        prefix: Keep only names starting with ``<prefix><number>``. ``None``
            detects it: the one prefix present once optical-flow prefixes
            (``x_``, ``y_``, ``flow_x_``, ``flow_y_``) are set aside.

    Returns:
        File names (not paths), in temporal order.

    Raises:
        VideoReadError: The folder is missing or empty, the prefix is
            ambiguous, or two files carry the same frame number.
    """
    if not os.path.isdir(folder):
        raise VideoReadError(folder, 'the frame folder does not exist',
                             hint='Fix the path in the annotation file.')
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for name in os.listdir(folder):
        match = _NAME.match(name)
        if match and match['ext'].lower() in IMAGE_EXTENSIONS:
            groups[match['prefix']].append((int(match['number']), name))
    if prefix is None:
        rgb = [p for p in groups if p not in FLOW_PREFIXES] or list(groups)
        if len(rgb) > 1:
            raise VideoReadError(
                folder, f'it holds frames with several name prefixes {sorted(rgb)}',
                hint='Choose one with the frame_prefix option (e.g. frame_prefix="img_").')
        prefix = rgb[0] if rgb else ''
    numbered = sorted(groups.get(prefix, []))
    if not numbered:
        raise VideoReadError(
            folder, f'it holds no numbered {"/".join(IMAGE_EXTENSIONS)} image with prefix '
            f'{prefix!r}', hint='Extract the frames (e.g. `ffmpeg -i video.mp4 img_%05d.jpg`).')
    for (num_a, name_a), (num_b, name_b) in zip(numbered, numbered[1:]):
        if num_a == num_b:
            raise VideoReadError(folder, f'{name_a!r} and {name_b!r} carry the same frame number',
                                 hint='Keep one naming scheme per folder.')
    return [name for _, name in numbered]


@VIDEO_DECODERS.register_module()
class FrameFolderReader(BaseVideoReader):
    """Read frames stored as one image per frame in a folder.

    Frame ``i`` is the ``i``-th file in numeric order of the number in its
    name (see :func:`list_frame_files`). Images are read with
    ``cv2.imread`` and converted to RGB.

    Args:
        path: The frame folder.
        prefix: File name prefix of the RGB frames, ``None`` to detect it.
        fps: Frame rate the frames were extracted at, if known (needed by
            :class:`FPSSampleFrames`).
    """

    def __init__(self, path: PathLike, *, prefix: Optional[str] = None,
                 fps: Optional[float] = None) -> None:
        super().__init__(path)
        self._files = list_frame_files(self.path, prefix)
        self.num_frames = len(self._files)
        self.fps = fps

    def _read_sorted(self, wanted: np.ndarray) -> np.ndarray:
        end = self.num_frames if wanted[-1] >= self.num_frames else None
        frames = {index: self._imread(index)
                  for index in wanted.tolist() if index < self.num_frames}
        last = frames.get(self.num_frames - 1)
        if end is not None and last is None:
            last = self._imread(self.num_frames - 1)
        return self._assemble(wanted, frames, last, end)

    def _imread(self, index: int) -> np.ndarray:
        file = os.path.join(self.path, self._files[index])
        bgr = cv2.imread(file, cv2.IMREAD_COLOR)
        if bgr is None:
            raise VideoReadError(file, 'cv2.imread cannot decode this frame image',
                                 hint='Re-extract the frames of this video.')
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
