"""The frame files of a frame folder, in temporal order, a per-process cache of them, and the
folder that extraction writes for a video."""
import os
import os.path as osp
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal, Optional, Union

from .base_video_reader import VideoReadError

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff')
# Optical-flow images that share a folder with RGB frames (MMAction2 rawframes layout).
FLOW_X_PREFIXES = ('x_', 'flow_x_')
FLOW_Y_PREFIXES = ('y_', 'flow_y_')
FLOW_PREFIXES = FLOW_X_PREFIXES + FLOW_Y_PREFIXES
Modality = Literal['rgb', 'flow_x', 'flow_y']
# Prefix, frame number (the last run of digits), extension.
_NAME = re.compile(r'^(?P<prefix>.*?)(?P<number>\d+)(?P<ext>\.[A-Za-z]+)$')


def mirrored_folder(video: str, video_root: str, mirror_root: str) -> str:
    """The folder of ``video`` in a tree that mirrors ``video_root`` under ``mirror_root``.

    The rule of ``tools/extract_frames.py`` and ``tools/extract_flow.py`` (given the folder
    ``video_root``): the video's path relative to ``video_root``, without its extension,
    below ``mirror_root``. ``<video_root>/run/a.avi`` -> ``<mirror_root>/run/a``. Paths are
    made absolute first (relative ones against the current folder).

    Raises:
        ValueError: ``video`` is not below ``video_root``.
    """
    video, video_root = osp.abspath(video), osp.abspath(video_root)
    relative = osp.relpath(video, video_root)
    if relative == os.curdir or relative.split(os.sep)[0] == os.pardir:
        raise ValueError(f'{video!r} is not below the video root {video_root!r}, so it has no '
                         f'folder in the tree mirrored from it.')
    return osp.join(osp.abspath(mirror_root), osp.splitext(relative)[0])


def list_frame_files(folder: str, prefix: Optional[str] = None,
                     modality: Modality = 'rgb') -> list[str]:
    """Frame image names of one folder, sorted by frame number.

    Names are ``<prefix><number>.<ext>``; the number is compared as an
    integer, so ``1.jpg, 2.jpg, 10.jpg`` and ``img_00001.jpg`` both sort in
    temporal order. Images without a number are ignored.

    Args:
        folder: The frame folder.
        prefix: Keep only names starting with ``<prefix><number>``. ``None``
            detects it among the prefixes of ``modality``.
        modality: What a detected prefix names. ``'rgb'``: the one prefix
            present once optical-flow prefixes (``x_``, ``y_``, ``flow_x_``,
            ``flow_y_``) are set aside. ``'flow_x'`` / ``'flow_y'`` (for a flow
            reader): the one of ``x_``, ``flow_x_`` (``y_``, ``flow_y_``) present.

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
        if modality == 'rgb':
            found = [p for p in groups if p not in FLOW_PREFIXES] or list(groups)
        else:
            kind = FLOW_X_PREFIXES if modality == 'flow_x' else FLOW_Y_PREFIXES
            found = [p for p in kind if p in groups]
        if len(found) > 1:
            raise VideoReadError(
                folder, f'it holds {modality} frames with several name prefixes {sorted(found)}',
                hint='Choose one with the reader\'s prefix option (e.g. prefix="img_").')
        prefix = found[0] if found else (FLOW_X_PREFIXES[0] if modality == 'flow_x' else
                                         FLOW_Y_PREFIXES[0] if modality == 'flow_y' else '')
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


class FrameRun(Sequence):
    """Frame names ``<prefix><number><ext>`` with consecutive numbers and one format.

    Holds five values however long the video (``img_00001.jpg`` ...
    ``img_00280.jpg`` is ``'img_{:05d}.jpg'``, start 1, length 280), so a
    process can keep the listings of a whole dataset.

    Args:
        template: ``str.format`` template of one name, e.g. ``'img_{:05d}.jpg'``.
        start: Number of the first frame.
        length: Number of frames.
    """

    def __init__(self, template: str, start: int, length: int) -> None:
        self.template, self.start, self.length = template, start, length

    @classmethod
    def from_names(cls, names: Sequence[str]) -> Optional['FrameRun']:
        """The run that spells exactly ``names`` (in order), or ``None`` if there is none."""
        match = _NAME.match(names[0]) if names else None
        if match is None:
            return None
        digits = match['number']
        # '{:05d}' re-creates zero padding; '{:d}' unpadded numbers of any length.
        width = len(digits) if digits.startswith('0') else 1
        run = cls(f'{match["prefix"]}{{:0{width}d}}{match["ext"]}', int(digits), len(names))
        return run if all(run[i] == name for i, name in enumerate(names)) else None

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> str:
        if not -self.length <= index < self.length:
            raise IndexError(f'frame {index} of {self.length}')
        return self.template.format(self.start + index % self.length)


# (folder, prefix, modality) -> (folder mtime in ns, its frame names as a FrameRun).
_RUNS: dict[tuple[str, Optional[str], str], tuple[int, FrameRun]] = {}
_MAX_RUNS = 200_000  # ~350 bytes each: at most ~70 MB per process


def cached_frame_names(folder: str, prefix: Optional[str] = None, modality: Modality = 'rgb'
                       ) -> Union[FrameRun, list[str]]:
    """:func:`list_frame_files`, remembered per process while the folder is unchanged.

    A folder whose names form a :class:`FrameRun` (what ``tools/extract_frames.py``
    and ``ffmpeg ... img_%05d.jpg`` write) is listed once; later calls cost one
    ``os.stat``, which checks that the folder's modification time is the same
    (adding, removing or renaming a file changes it). Other folders are listed
    every time.
    """
    try:
        mtime = os.stat(folder).st_mtime_ns
    except OSError:
        mtime = None  # list_frame_files says what is wrong
    key = (folder, prefix, modality)
    cached = _RUNS.get(key)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    names = list_frame_files(folder, prefix, modality)
    run = FrameRun.from_names(names)
    if run is None:
        return names
    if len(_RUNS) >= _MAX_RUNS:
        _RUNS.pop(next(iter(_RUNS)))
    _RUNS[key] = (mtime, run)
    return run
