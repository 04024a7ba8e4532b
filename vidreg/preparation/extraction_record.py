"""The record that ``tools/extract_frames.py`` and ``tools/extract_flow.py`` leave in each
folder they fill, and ``tools/prepare_videos.py`` next to each video it writes: what was made
from which video, with which options, and whether the video was truncated (its header
promises more frames than decode).

The record is ``.vidreg-frames.json`` (frames) or ``.vidreg-flow.json`` (flow images) in the
folder, ``.<name>.vidreg-video.json`` next to a prepared video ``<name>``; the readers ignore
it. It is written atomically, with ``"complete": true`` only once every image it counts is in
the folder (the video in place), so it tells a finished output from one that a killed run
left half-done, and a later ``tools/check_data.py`` on the folders can still name the videos
they were extracted from truncated (the folder itself only shows the frames that decoded).
"""
import errno
import json
import os
import os.path as osp
import re
import shutil
from dataclasses import asdict, dataclass, field, replace
from typing import Literal, Optional

from vidreg.fileio import atomic_open

__all__ = ['Kind', 'ExtractionRecord', 'RECORD_NAMES', 'record_path', 'write_record',
           'read_record', 'own_images', 'count_own_images', 'truncation_text', 'folder_problem',
           'move_into_place', 'move_file_into_place', 'changed_options_text']

Kind = Literal['frames', 'flow', 'video']
# In the folder (frames, flow); for a video, the suffix of ``.<video name>`` next to it.
RECORD_NAMES = {'frames': '.vidreg-frames.json', 'flow': '.vidreg-flow.json',
                'video': '.vidreg-video.json'}
# The images one kind of extraction writes (frame_extraction's FRAME_TEMPLATE, FLOW_TEMPLATES).
_OWN_IMAGE = {'frames': re.compile(r'^img_\d{5,}\.(?:jpg|png)$'),
              'flow': re.compile(r'^[xy]_\d{5,}\.(?:jpg|png)$')}
_TOOLS = {'frames': 'tools/extract_frames.py', 'flow': 'tools/extract_flow.py',
          'video': 'tools/prepare_videos.py'}


@dataclass(frozen=True)
class ExtractionRecord:
    """One folder's extraction (or one prepared video).

    Attributes:
        kind: ``'frames'`` (``img_00001.jpg``, ...), ``'flow'`` (``x_``/``y_`` pairs) or
            ``'video'`` (a re-encoded copy of the video).
        video: The source video, as the extraction was given it.
        images: Frames (or flow pairs) written.
        header_frames: Frames the video's header promises (0 if it says nothing).
        decoded_frames: Frames that decoded, every one, whichever were kept.
        options: The extraction options (fps, num_frames, short_side, format, codec, ...).
        complete: False while the images (the video) are being moved in (a killed run leaves
            it so).
    """

    kind: Kind
    video: str
    images: int
    header_frames: int
    decoded_frames: int
    options: dict = field(default_factory=dict)
    complete: bool = True

    @property
    def truncated(self) -> bool:
        """The video decodes fewer frames than its header promises."""
        return self.decoded_frames < self.header_frames


def record_path(folder: str, kind: Kind) -> str:
    """Where the record of ``kind`` lies in ``folder`` (for ``'video'``: next to the video
    ``folder``, hidden: ``<dir>/.<name>.vidreg-video.json``)."""
    if kind == 'video':
        parent, name = osp.split(folder)
        return osp.join(parent, f'.{name}{RECORD_NAMES[kind]}')
    return osp.join(folder, RECORD_NAMES[kind])


def write_record(folder: str, record: ExtractionRecord) -> None:
    """Write (or replace) the record of ``folder`` (a prepared video's: next to it)
    atomically."""
    with atomic_open(record_path(folder, record.kind)) as file:
        json.dump(asdict(record), file, indent=1)
        file.write('\n')


def read_record(folder: str, kind: Kind) -> Optional[ExtractionRecord]:
    """The record of ``kind`` in ``folder`` (of the video ``folder``); ``None`` if there is
    none.

    Raises:
        ValueError: The file is there but is not a record (damaged, or not vidreg's).
    """
    path = record_path(folder, kind)
    try:
        with open(path, encoding='utf-8') as file:
            data = json.load(file)
        return ExtractionRecord(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f'{path} is not a readable extraction record ({error})') from None


def own_images(folder: str, kind: Kind) -> list[str]:
    """Names of the images in ``folder`` that an extraction of ``kind`` writes (any format)."""
    return sorted(name for name in os.listdir(folder) if _OWN_IMAGE[kind].match(name))


def count_own_images(folder: str, record: ExtractionRecord) -> int:
    """How many of the record's images (frames, or complete x/y flow pairs) are in ``folder``.

    Only the record's image format counts.
    """
    ext = f'.{record.options.get("format", "jpg")}'
    names = [name for name in own_images(folder, record.kind) if name.endswith(ext)]
    if record.kind == 'frames':
        return len(names)
    return min(sum(name.startswith(axis) for name in names) for axis in ('x_', 'y_'))


def truncation_text(header_frames: int, decoded_frames: int) -> str:
    """``'its header says H frames but only D decode'``: how vidreg words a truncated video."""
    return f'its header says {header_frames} frames but only {decoded_frames} decode'


def folder_problem(folder: str, kind: Kind) -> Optional[str]:
    """What is wrong with an extracted folder according to its record, or ``None``.

    A folder without a record (extracted by another tool) has no problem here.

    Returns:
        The problem: the source video was truncated, the extraction was interrupted, or
        images it wrote are missing.
    """
    tool = _TOOLS[kind]
    try:
        record = read_record(folder, kind)
    except ValueError as error:
        return f'{error}: re-extract it ({tool} --overwrite)'
    if record is None:
        return None
    what = 'frames' if kind == 'frames' else 'flow pairs'
    if not record.complete:
        return f'its extraction was interrupted: rerun {tool} to finish it'
    found = count_own_images(folder, record)
    if found < record.images:
        return (f'{record.images - found} of the {record.images} {what} its extraction wrote '
                f'are missing: re-extract it ({tool} --overwrite)')
    if record.truncated:
        return (f'extracted from a truncated video: {record.video} '
                f'({truncation_text(record.header_frames, record.decoded_frames)}); the folder '
                f'holds the {record.images} {what} of the part that decodes')
    return None


def move_into_place(tmp: str, folder: str, record: ExtractionRecord) -> None:
    """Make ``tmp`` (the images and the record) the content of ``folder``, never half of it.

    ``tmp`` is a sibling of ``folder``, filled with one kind's images and its record. A new
    folder is one rename (atomic). Into an existing folder (holding the other kind's images,
    or being redone), the record goes first, marked incomplete; then this kind's old images go
    and the new ones move in; then the record is marked complete. A kill in between leaves an
    incomplete record, which the next run redoes.
    """
    try:
        os.rename(tmp, folder)  # atomic: the folder appears complete or not at all
        return
    except OSError as error:
        if error.errno not in (errno.EEXIST, errno.ENOTEMPTY) or not osp.isdir(folder):
            raise
    write_record(folder, replace(record, complete=False))
    for name in own_images(folder, record.kind):
        os.remove(osp.join(folder, name))
    for name in own_images(tmp, record.kind):
        os.replace(osp.join(tmp, name), osp.join(folder, name))
    write_record(folder, record)
    shutil.rmtree(tmp)


def move_file_into_place(tmp: str, path: str, record: ExtractionRecord) -> None:
    """Make the finished file ``tmp`` (a sibling of ``path``) the file ``path``, with its
    record next to it.

    The record goes first, marked incomplete; then the file replaces ``path`` (one rename);
    then the record is marked complete. A kill in between leaves an incomplete record, which
    the next run redoes.
    """
    write_record(path, replace(record, complete=False))
    os.replace(tmp, path)
    write_record(path, record)


def changed_options_text(old: dict, new: dict) -> str:
    """The options that differ, as ``--crf 18 (now 23), --gop not set (now 16)``."""
    return ', '.join(f'--{key.replace("_", "-")} {_shown(old.get(key))} '
                     f'(now {_shown(new.get(key))})'
                     for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key))


def _shown(value: object) -> str:
    return 'not set' if value is None else str(value)
