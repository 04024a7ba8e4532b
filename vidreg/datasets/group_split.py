"""Group-aware, class-stratified splits, written to disk once and reused.

Clips cut from one source video (UCF101's group ``gNN``, a DAiSEE subject, an HMDB51
source film) look alike; if some sit in training and others in validation or test, the
held-out score measures recognition of the source, not of the action. Every split made
by vidreg therefore keeps each *group* whole: all its clips land in the same split, over
all classes. Within that constraint, each class is divided as close to the requested
ratios as the group sizes allow.

A split is made once, deterministically from a seed, and written next to the data as a
CSV (``path,label,split``) with a JSON sidecar holding the settings it was made with
(``<file>.json``). Later runs reuse it; if the settings or the set of videos changed,
they stop with a message rather than silently re-splitting (which would move test videos
into training). When the data folder is read-only, the files go under a cache folder
(``$VIDREG_CACHE_DIR``, default ``~/.cache/vidreg/splits``).

Used by :class:`FolderDataset` (train/val/test made from scratch) and by
:class:`HMDB51Dataset` / :class:`UCF101Dataset` (validation carved out of the official
training videos).
"""
import csv
import hashlib
import io
import json
import os
import os.path as osp
import re
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.logging import print_log

from vidreg.fileio import atomic_open

from .annotation_csv import read_csv_table
from .base_video_dataset import DatasetError

CLASS_PLACEHOLDER = '{class}'


def compile_group_pattern(pattern: str, class_name: Optional[str] = None) -> 're.Pattern[str]':
    """Compile a group regex, replacing the literal ``{class}`` by the escaped class name.

    Args:
        pattern: A regular expression searched in a file stem (file name without
            extension, or a frame folder's name). The group key is its first capturing
            group that matched, else the whole match. ``{class}`` stands for the clip's
            class name (only the exact text ``{class}`` is replaced, so quantifiers such
            as ``\\d{6}`` are untouched).
        class_name: Substituted for ``{class}``; required if the pattern contains it.

    Returns:
        The compiled pattern.
    """
    if CLASS_PLACEHOLDER in pattern:
        if class_name is None:
            raise ValueError(f'group_pattern {pattern!r} uses {CLASS_PLACEHOLDER} but no class '
                             'name was given')
        pattern = pattern.replace(CLASS_PLACEHOLDER, re.escape(class_name))
    try:
        return re.compile(pattern)
    except re.error as error:
        raise DatasetError(f'group_pattern {pattern!r} is not a valid regular expression: '
                           f'{error}') from error


def group_key(stem: str, pattern: 're.Pattern[str]') -> Optional[str]:
    """The group of one clip: the first capturing group that matched, else the whole match.

    Returns:
        The key, or ``None`` when the pattern does not match ``stem``.
    """
    match = pattern.search(stem)
    if match is None:
        return None
    for value in match.groups():
        if value:
            return value
    return match.group(0) or None


def assign_groups(stems: Sequence[str], pattern: str,
                  class_names: Optional[Sequence[str]] = None, *,
                  warn_unmatched: Optional[str] = None) -> List[str]:
    """Group key of every clip; a clip the pattern does not match is its own group (its stem).

    Args:
        stems: File stems (or frame folder names) of N clips.
        pattern: See :func:`compile_group_pattern`.
        class_names: Class name of each clip, for patterns that use ``{class}``.
        warn_unmatched: If given (an owner name for the message), warn once about clips
            the pattern did not match, since those may leak across splits.

    Returns:
        N group keys.
    """
    compiled: Dict[Optional[str], 're.Pattern[str]'] = {}
    keys, unmatched = [], []
    for i, stem in enumerate(stems):
        name = class_names[i] if class_names is not None and CLASS_PLACEHOLDER in pattern else None
        if name not in compiled:
            compiled[name] = compile_group_pattern(pattern, name)
        key = group_key(stem, compiled[name])
        if key is None:
            unmatched.append(stem)
        keys.append(stem if key is None else key)
    if unmatched and warn_unmatched:
        warnings.warn(f'{warn_unmatched}: group_pattern {pattern!r} matches no group in '
                      f'{len(unmatched)} of {len(stems)} file names (e.g. {unmatched[:3]}); each '
                      f'of those is its own group, so clips of one source video may be split.')
    return keys


def stratified_group_split(labels: Sequence[int], groups: Sequence[str],
                           ratios: Sequence[float], *, seed: int) -> np.ndarray:
    """Assign whole groups to splits so that each class follows ``ratios``.

    Groups are visited largest first (ties in an order shuffled by ``seed``); each goes
    to the split whose per-class deficit, weighted by the group's own class counts and
    measured as a fraction of each class, is largest. Splits with ratio 0 get nothing.
    The result depends only on the (label, group) multiset and the seed, not on the
    order of the inputs or the filesystem.

    Args:
        labels: Class index of each of N clips.
        groups: Group key of each clip; a group may span classes (a DAiSEE subject).
        ratios: Fraction per split, S values >= 0 (normalised to sum to 1).
        seed: Seed of the tie-breaking shuffle.

    Returns:
        Split index of each clip, int64 ``(N,)``.
    """
    ratios = np.asarray(ratios, dtype=np.float64)
    if ratios.ndim != 1 or (ratios < 0).any() or ratios.sum() <= 0:
        raise ValueError(f'split ratios must be >= 0 with a positive sum, got {ratios.tolist()}')
    if len(labels) != len(groups):
        raise ValueError(f'{len(labels)} labels but {len(groups)} groups')
    ratios = ratios / ratios.sum()
    if not len(labels):
        return np.zeros(0, dtype=np.int64)
    class_ids, cls = np.unique(np.asarray(labels), return_inverse=True)
    group_names, gid = np.unique(np.asarray(groups, dtype=object).astype(str),
                                 return_inverse=True)
    counts = np.zeros((len(group_names), len(class_ids)))  # (G, K) clips per group and class
    np.add.at(counts, (gid, cls), 1)
    totals = counts.sum(0)  # (K,)
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.permutation(len(group_names)), -counts.sum(1)))
    target = ratios[:, None] * totals[None]  # (S, K)
    current = np.zeros_like(target)
    assigned = np.empty(len(group_names), dtype=np.int64)
    for g in order:
        score = ((target - current) * counts[g] / totals).sum(1)  # (S,)
        score[ratios == 0] = -np.inf
        assigned[g] = int(np.argmax(score))
        current[assigned[g]] += counts[g]
    empty = [(int(class_ids[k]), int(s)) for s in np.flatnonzero(ratios)
             for k in range(len(class_ids)) if current[s, k] == 0]
    if empty:
        warnings.warn(f'{len(empty)} (class, split) pairs got no clip because the class has too '
                      f'few groups for ratios {ratios.round(3).tolist()}, e.g. (class, split '
                      f'index) {empty[:5]}.')
    return assigned[gid]


def write_text_atomic(path: str, text: str) -> None:
    """Write a text file to a temporary sibling, then move it into place (readers never
    see half a file; concurrent writers of the same content are harmless)."""
    with atomic_open(path, newline='') as file:
        file.write(text)


def write_csv_atomic(path: str, header: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Write a CSV (``\\n`` line ends) atomically; see :func:`write_text_atomic`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n')
    writer.writerow(header)
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())


def _write_json_atomic(path: str, obj: dict) -> None:
    write_text_atomic(path, json.dumps(obj, indent=1))


def read_split_lines(path: str) -> List[Tuple[int, List[str]]]:
    """Non-empty lines of an official split list as ``(line number, fields)``.

    CRLF endings, trailing spaces and a UTF-8 BOM are tolerated.
    """
    with open(path, encoding='utf-8-sig', newline='') as file:
        lines = file.read().splitlines()
    return [(n, line.split()) for n, line in enumerate(lines, 1) if line.strip()]


def cache_path(primary: str) -> str:
    """Where a split file goes when the folder of ``primary`` cannot be written."""
    root = os.environ.get('VIDREG_CACHE_DIR') or osp.join(osp.expanduser('~'), '.cache',
                                                          'vidreg', 'splits')
    digest = hashlib.sha1(osp.abspath(primary).encode()).hexdigest()[:12]
    return osp.join(root, f'{digest}_{osp.basename(primary)}')


def load_or_create_split(file: str, *, paths: Sequence[str], labels: Sequence[int],
                         groups: Sequence[str], split_names: Sequence[str],
                         ratios: Sequence[float], seed: int, settings: dict,
                         owner: str) -> Dict[str, str]:
    """Reuse the split stored in ``file``, or make it and store it.

    Args:
        file: CSV path (``path,label,split``); its settings go to ``file + '.json'``.
        paths: Keys of the N current clips, as stored in the file (relative paths).
        labels: Class index of each clip.
        groups: Group key of each clip.
        split_names: Name of each split, S values, in the order of ``ratios``.
        ratios: Fraction of each split.
        seed: Seed of :func:`stratified_group_split`.
        settings: Everything the split depends on besides the clips (class names,
            ratios, seed, group pattern, ...); a stored split with other settings is
            an error.
        owner: Name used in messages, e.g. ``'FolderDataset'``.

    Returns:
        ``{path: split name}`` for every clip in the file (a superset of ``paths``).

    Raises:
        DatasetError: The stored split was made with other settings, or current clips
            are missing from it.
    """
    settings = json.loads(json.dumps(settings))  # tuples -> lists, as stored
    for candidate in (file, cache_path(file)):
        if osp.isfile(candidate):
            return _load_split(candidate, paths, split_names, settings, owner)
    assigned = stratified_group_split(labels, groups, ratios, seed=seed)
    rows = sorted(zip(paths, labels, [split_names[s] for s in assigned]))
    target = file
    try:
        _write_json_atomic(file + '.json', settings)  # sidecar first: the CSV marks completion
        write_csv_atomic(file, ['path', 'label', 'split'], rows)
    except OSError as error:
        target = cache_path(file)
        print_log(f'{owner}: cannot write {file!r} ({error}); writing the split to {target!r}',
                  logger='current')
        os.makedirs(osp.dirname(target), exist_ok=True)
        _write_json_atomic(target + '.json', settings)
        write_csv_atomic(target, ['path', 'label', 'split'], rows)
    counts = {name: sum(1 for r in rows if r[2] == name) for name in split_names}
    print_log(f'{owner}: made a group-aware split stratified by class ({len(set(groups))} groups, '
              f'{counts}) and wrote it to {target!r}; later runs reuse it. Delete that file to '
              f'make a new split.', logger='current')
    return {path: split for path, _, split in rows}


def carve_validation(*, keys: Sequence[str], labels: Sequence[int], stems: Sequence[str],
                     class_names: Sequence[str], split: str, val_fraction: float,
                     group_pattern: str, seed: int, file: str, settings: dict,
                     owner: str) -> List[bool]:
    """Which official training clips belong to ``split`` (``'train'`` or ``'val'``).

    The validation part is a group-aware, class-stratified ``val_fraction`` of the
    official training clips, stored in ``file`` by :func:`load_or_create_split`.

    Args:
        keys: Relative path of each of the N official training clips.
        labels: Class index of each clip.
        stems: File stem of each clip (the group pattern is searched in it).
        class_names: Class name of each clip (for ``{class}`` in ``group_pattern``).
        split: ``'train'`` or ``'val'``.
        val_fraction: Fraction carved out for validation, in ``[0, 1)``.
        group_pattern: See :func:`compile_group_pattern`.
        seed: Seed of the split.
        file: Where the carve-out is stored.
        settings: Stored with the split; see :func:`load_or_create_split`.
        owner: Name used in messages.

    Returns:
        N booleans: clip i is in ``split``.
    """
    if not 0 <= val_fraction < 1:
        raise DatasetError(f'{owner}: val_fraction must be in [0, 1), got {val_fraction!r}.')
    if val_fraction == 0:
        if split == 'val':
            raise DatasetError(
                f"{owner}: split='val' needs a validation set carved out of the official "
                f'training videos, but val_fraction=0. Set val_fraction (e.g. 0.1) in the '
                f'dataset config. Never validate on the test split: selecting checkpoints on '
                f'it inflates the reported test score.')
        return [True] * len(keys)
    groups = assign_groups(stems, group_pattern, class_names, warn_unmatched=owner)
    _check_divisible(class_names, groups, group_pattern, owner)
    mapping = load_or_create_split(
        file, paths=keys, labels=labels, groups=groups, split_names=('train', 'val'),
        ratios=(1 - val_fraction, val_fraction), seed=seed, settings=settings, owner=owner)
    keep = [mapping[key] == split for key in keys]
    if not any(keep):
        raise _empty_carve_out(split, val_fraction, class_names, groups, group_pattern, file,
                               owner)
    return keep


def _empty_carve_out(split: str, val_fraction: float, class_names: Sequence[str],
                     groups: Sequence[str], group_pattern: str, file: str,
                     owner: str) -> DatasetError:
    """The error for a ``split`` that the group-aware carve-out left without a clip."""
    fewest = min(len(found) for found in _groups_per_class(class_names, groups).values())
    share = f'1/{fewest} = {1 / fewest:.2g}'
    advice = (f'raise val_fraction to about {share} or more' if split == 'val' else
              f'lower val_fraction below 1 - {share}')
    return DatasetError(
        f"{owner}: split={split!r} came out empty. The validation set is carved out of the "
        f'training videos in whole source videos (groups of group_pattern {group_pattern!r}) '
        f'per class, and with val_fraction={val_fraction:g} and as few as {fewest} source '
        f'videos in a class, no source video goes to {split}. Either {advice} (one source '
        f'video per class), or set val_fraction=0 to train on every training video without a '
        f'validation set (then select no checkpoint on validation, and never on the test '
        f'split). The split is stored in {file!r}; a new val_fraction makes a new one.')


def _groups_per_class(class_names: Sequence[str], groups: Sequence[str]) -> Dict[str, set]:
    """The groups of each class's clips."""
    groups_of: Dict[str, set] = {}
    for name, group in zip(class_names, groups):
        groups_of.setdefault(name, set()).add(group)
    return groups_of


def _check_divisible(class_names: Sequence[str], groups: Sequence[str], group_pattern: str,
                     owner: str) -> None:
    """Raise if a class has one group only: it cannot be in both training and validation."""
    lone = sorted(name for name, found in _groups_per_class(class_names, groups).items()
                  if len(found) < 2)
    if not lone:
        return
    shown = ', '.join(repr(name) for name in lone[:10]) + (
        f' and {len(lone) - 10} more' if len(lone) > 10 else '')
    raise DatasetError(
        f'{owner}: cannot carve a group-aware validation set out of the training videos: every '
        f'training clip of {len(lone)} class(es) ({shown}) comes from one source video (one group '
        f'of group_pattern {group_pattern!r}), so each such class would be missing from either '
        f'training or validation. Either set val_fraction=0 (train on all training videos; '
        f'then select no checkpoint on validation, and never on the test split), or set a '
        f'group_pattern that divides these videos into several groups - clips of one source '
        f'video on both sides leak, so validation scores then overrate the model.')


def _load_split(file: str, paths: Sequence[str], split_names: Sequence[str], settings: dict,
                owner: str) -> Dict[str, str]:
    advice = (f'Delete {file!r} (and {file + ".json"!r}) to make a new split - note that this '
              f'moves videos between train, val and test, so earlier results are not comparable '
              f'- or choose another split file name.')
    stored = None
    if osp.isfile(file + '.json'):
        with open(file + '.json', encoding='utf-8') as f:
            stored = json.load(f)
    if stored is not None and stored != settings:
        changed = [f'{key} (stored: {stored.get(key)!r}, now: {settings.get(key)!r})'
                   for key in sorted(set(stored) | set(settings))
                   if stored.get(key) != settings.get(key)]
        raise DatasetError(f'{owner}: the split in {file!r} was made with other settings: '
                           f'{"; ".join(changed)}. {advice}')
    table = read_csv_table(file, header='path,label,split')
    if not {'path', 'split'} <= set(table.columns):
        raise DatasetError(f'{owner}: {file!r} is not a split file (header "path,label,split", '
                           f'found {list(table.columns)}). {advice}')
    mapping = dict(zip(table['path'].str.strip(), table['split'].str.strip()))
    unknown = sorted({s for s in mapping.values() if s not in split_names})
    if unknown:
        raise DatasetError(f'{owner}: {file!r} has unknown split names {unknown}; expected '
                           f'{list(split_names)}. {advice}')
    new = [p for p in paths if p not in mapping]
    if new:
        raise DatasetError(f'{owner}: {len(new)} videos are not in the stored split {file!r}, '
                           f'e.g. {new[:3]} (videos were added since the split was made). '
                           f'{advice}')
    print_log(f'{owner}: reusing the split stored in {file!r}.', logger='current')
    return mapping


__all__ = ['compile_group_pattern', 'group_key', 'assign_groups', 'stratified_group_split',
           'write_text_atomic', 'write_csv_atomic',
           'read_split_lines', 'cache_path', 'load_or_create_split', 'carve_validation']
