"""Where tools/infer.py writes: one file name per input, all checked before any video is read."""
import os
import os.path as osp
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Tuple

from vidreg.fileio import OutputFile, OutputPathError, check_output_files

from .annotated_video import ANNOTATED_VIDEO_EXTENSIONS

__all__ = ['InferOutputs', 'plan_outputs', 'distinct_names', 'fresh_run_folder',
           'DEFAULT_INFER_ROOT']

DEFAULT_INFER_ROOT = osp.join('work_dirs', 'infer')
PREFIX_IN_FOLDER = 'predictions'  # the file names in a folder given as --out DIR/


@dataclass
class InferOutputs:
    """The files of one tools/infer.py run.

    Attributes:
        prefix: ``PREFIX.csv`` and ``PREFIX.json`` are written.
        timelines: Per input video, its window plot ``PREFIX_<name>_windows.png``, or ``None``
            (no ``--window``).
        videos: Per input video, its annotated video, or ``None`` (no ``--out-video``, or a
            frame folder, which cannot be re-encoded).
        notes: What will not be written and why (printed as warnings before the run).
    """

    prefix: str
    timelines: List[Optional[str]]
    videos: List[Optional[str]]
    notes: List[str] = field(default_factory=list)

    @property
    def tables(self) -> Tuple[str, str]:
        """``(PREFIX.csv, PREFIX.json)``."""
        return f'{self.prefix}.csv', f'{self.prefix}.json'


def fresh_run_folder(root: str = DEFAULT_INFER_ROOT) -> str:
    """``root/<YYYYmmdd_HHMMSS>``, with ``_2``, ``_3``... if a run of that second has it."""
    stamp = osp.join(root, time.strftime('%Y%m%d_%H%M%S'))
    folder, number = stamp, 1
    while osp.exists(folder):
        number += 1
        folder = f'{stamp}_{number}'
    return folder


def distinct_names(paths: Sequence[str]) -> List[str]:
    """A short name per input for its output files, different for different inputs.

    The name is the file's stem; inputs with the same stem keep as many of their parent
    folders as tell them apart (``a/clip.avi``, ``b/clip.avi`` -> ``a_clip``, ``b_clip``).
    Inputs that still agree (the same video twice, ``clip.avi`` beside ``clip.mp4``) are
    numbered in order: ``clip``, ``clip_2``.
    """
    parts = []
    for path in paths:
        folders, base = osp.split(osp.abspath(path))
        stem = base if osp.isdir(path) else osp.splitext(base)[0]
        parts.append([part for part in folders.split(os.sep) if part] + [stem])
    depth = [1] * len(paths)
    while True:
        names = ['_'.join(p[-d:]) for p, d in zip(parts, depth)]
        paths_named = defaultdict(set)  # name -> the different inputs that got it
        for name, path_parts in zip(names, parts):
            paths_named[name].add(tuple(path_parts))
        deeper = [i for i, name in enumerate(names)
                  if len(paths_named[name]) > 1 and depth[i] < len(parts[i])]
        if not deeper:
            break
        for i in deeper:
            depth[i] += 1
    seen: Counter = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f'{name}_{seen[name]}')
    return unique


def _prefix(out: Optional[str]) -> str:
    if out is None:
        return osp.join(fresh_run_folder(), PREFIX_IN_FOLDER)
    if out.endswith(('/', os.sep)) or osp.isdir(out):
        return osp.join(out, PREFIX_IN_FOLDER)
    return out


def plan_outputs(videos: Sequence[str], *, out: Optional[str], out_video: Optional[str],
                 windows: bool, force: bool, reads: Iterable[Optional[str]]) -> InferOutputs:
    """Name every output of a run and check them all before any work.

    Args:
        videos: The video files and frame folders to predict, in order (repeats allowed).
        out: ``--out``: a prefix (``PREFIX.csv``...), or a folder (one that exists, or a
            path ending in ``/``: files ``predictions.*`` in it); missing folders are
            created. ``None`` takes a new folder under ``work_dirs/infer`` per run.
        out_video: ``--out-video FILE.mp4|FILE.gif``; with several videos each gets
            ``FILE_<name>.mp4`` (names from :func:`distinct_names`).
        windows: ``--window`` is given: a timeline PNG per video.
        force: ``--force``: replace existing outputs (never an input).
        reads: Every file the run reads besides ``videos``: the model, the config, the INPUT
            arguments (CSVs).

    Raises:
        OutputPathError: An output is an input or another output, exists (without
            ``force``), is a folder or cannot be written; or ``out_video`` has another
            extension.
    """
    prefix = _prefix(out)
    names = distinct_names(videos)
    plan = InferOutputs(prefix=prefix, timelines=[None] * len(videos), videos=[None] * len(videos))
    outputs = [OutputFile(path, '--out') for path in plan.tables]
    for i, (video, name) in enumerate(zip(videos, names)):
        if windows:
            plan.timelines[i] = f'{prefix}_{name}_windows.png'
            outputs.append(OutputFile(plan.timelines[i], '--out'))
        if out_video is None:
            continue
        if osp.isdir(video):
            plan.notes.append(f'{video} is a frame folder: no annotated video for it '
                              f'(--out-video re-encodes video files)')
            continue
        root, ext = osp.splitext(out_video)
        plan.videos[i] = out_video if len(videos) == 1 else f'{root}_{name}{ext}'
        outputs.append(OutputFile(plan.videos[i], '--out-video', f'annotated{ext}'))
    check_output_files(outputs, inputs=[*reads, *videos], force=force)
    if out_video is not None and \
            osp.splitext(out_video)[1].lower() not in ANNOTATED_VIDEO_EXTENSIONS:
        raise OutputPathError(f'--out-video must end in {" or ".join(ANNOTATED_VIDEO_EXTENSIONS)}'
                              f', got {out_video!r}')
    return plan
