"""Turn the INPUT arguments of tools/infer.py into videos to predict, and name the bad ones."""
import csv
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

__all__ = ['InputList', 'collect_inputs', 'VIDEO_EXTENSIONS', 'IMAGE_EXTENSIONS']

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.mov', '.webm', '.m4v', '.mpg', '.mpeg', '.wmv',
                    '.flv', '.gif', '.3gp', '.ts')
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')


@dataclass
class InputList:
    """Videos to predict and inputs that could not be used.

    Attributes:
        items: ``(path, label or None)`` per video file or frame folder.
        bad: ``(input, reason)`` per unusable input; reported at the end of a run.
    """

    items: List[Tuple[str, Optional[str]]] = field(default_factory=list)
    bad: List[Tuple[str, str]] = field(default_factory=list)


def _is_frame_folder(path: str) -> bool:
    return any(name.lower().endswith(IMAGE_EXTENSIONS) for name in os.listdir(path))


def _walk_folder(folder: str, inputs: InputList) -> None:
    """Every video file and frame folder under ``folder``, in sorted order."""
    found = 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        if root != folder and _is_frame_folder(root):
            inputs.items.append((root, None))
            found += 1
            dirs[:] = []
            continue
        for name in sorted(files):
            if name.lower().endswith(VIDEO_EXTENSIONS):
                inputs.items.append((osp.join(root, name), None))
                found += 1
    if not found:
        inputs.bad.append((folder, f'no video file ({", ".join(VIDEO_EXTENSIONS[:4])}, ...) '
                                   f'or frame folder found under it'))


def _read_csv(path: str, inputs: InputList) -> None:
    """``path[,label]`` rows (a ``path,label`` header is optional); paths relative to the CSV."""
    with open(path, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    header = bool(rows and rows[0] and rows[0][0].strip().lower() == 'path')
    for number, row in enumerate(rows, start=1):  # number: the line in the file
        if (header and number == 1) or not row or not row[0].strip():
            continue
        video = row[0].strip()
        video = video if osp.isabs(video) else osp.join(osp.dirname(path), video)
        label = row[1].strip() if len(row) > 1 and row[1].strip() else None
        if not osp.exists(video):
            inputs.bad.append((f'{path} row {number}', f'{video!r} does not exist'))
        else:
            inputs.items.append((osp.normpath(video), label))


def collect_inputs(args: Sequence[str]) -> InputList:
    """Expand video files, frame folders, folders of videos (recursively) and CSVs.

    Args:
        args: Paths as given on the command line.

    Returns:
        The videos in the order given (folders sorted) and the unusable inputs.
    """
    inputs = InputList()
    for arg in args:
        if not osp.exists(arg):
            inputs.bad.append((arg, 'does not exist'))
        elif osp.isdir(arg):
            if _is_frame_folder(arg):
                inputs.items.append((arg, None))
            else:
                _walk_folder(arg, inputs)
        elif arg.lower().endswith('.csv'):
            _read_csv(arg, inputs)
        else:
            inputs.items.append((arg, None))
    return inputs
