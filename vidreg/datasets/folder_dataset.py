"""Folder-per-class videos (or frame folders) with no split files: a split is made once."""
import os
import os.path as osp
from typing import Callable, List, Literal, Sequence, Tuple, Union

from vidreg.registry import DATASETS

from .base_video_dataset import BadSamplePolicy, BaseVideoDataset, DatasetError
from .group_split import assign_groups, load_or_create_split

SPLITS = ('train', 'val', 'test')
VIDEO_EXTENSIONS = ('.avi', '.mp4', '.mkv', '.mov', '.webm', '.mpg', '.mpeg', '.m4v', '.wmv',
                    '.flv')
# UCF101 style  v_<Class>_g08_c01 -> g08 (source video group, shared by all classes);
# DAiSEE style  1100011002       -> 110001 (subject id, the first 6 of 10 digits);
# anything else -> the file stem, i.e. every clip is its own group.
DEFAULT_GROUP_PATTERN = r'_(g\d+)_c\d+$|^(\d{6})\d{4}$'


@DATASETS.register_module()
class FolderDataset(BaseVideoDataset):
    """Videos sorted into one folder per class, split for the user without leaks.

    Layout: ``<data_root>/<videos_dir>/<class>/<clip>``, where a clip is a video file
    (``extensions``) or a folder of frames. Class names are the sorted class folder
    names. On first use the clips are split into train/val/test by
    :func:`~vidreg.datasets.group_split.stratified_group_split`: stratified by class
    and group-aware (clips whose stems share a group key never straddle splits),
    deterministically from ``seed``. The split is written atomically to
    ``<data_root>/<split_file>`` (CSV ``path,label,split``, settings in
    ``<split_file>.json``) and reused later; changed classes, ratios, seed or pattern,
    or clips added since, are an error naming the file (delete it to re-split, or pick
    another ``split_file``). Clips removed since are reported as missing samples.

    Args:
        data_root: The folder holding the class folders (or ``videos_dir``).
        split: ``'train'``, ``'val'`` or ``'test'``.
        videos_dir: Folder of the class folders, under ``data_root``.
        split_file: The split CSV, relative to ``data_root`` unless absolute.
        split_ratios: Fractions (train, val, test), each >= 0.
        seed: Seed of the split.
        group_pattern: Regex searched in each clip's stem; its first capturing group that
            matched is the group key (whole match if none); no match: the stem. The default
            recognises UCF101's ``_gNN_cNN`` and DAiSEE's 10-digit clip ids (subject = first
            6 digits).
        extensions: File extensions of videos (case-insensitive); sub-folders are frame
            folders.
        Others: see :class:`BaseVideoDataset`.
    """

    def __init__(self,
                 *,
                 data_root: str,
                 split: Literal['train', 'val', 'test'],
                 videos_dir: str = '',
                 split_file: str = 'split.csv',
                 split_ratios: Tuple[float, float, float] = (0.7, 0.15, 0.15),
                 seed: int = 0,
                 group_pattern: str = DEFAULT_GROUP_PATTERN,
                 extensions: Sequence[str] = VIDEO_EXTENSIONS,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 on_bad_sample: BadSamplePolicy = 'error') -> None:
        if split not in SPLITS:
            raise DatasetError(f"FolderDataset split must be one of {SPLITS}, got {split!r}")
        if len(split_ratios) != 3 or min(split_ratios) < 0 or sum(split_ratios) <= 0:
            raise DatasetError(f'split_ratios must be three fractions (train, val, test) >= 0, '
                               f'got {split_ratios!r}')
        self.split, self.seed, self.group_pattern = split, seed, group_pattern
        self.split_ratios = tuple(float(r) for r in split_ratios)
        self.extensions = tuple(e.lower() for e in extensions)
        self.videos_root = osp.join(data_root, videos_dir)
        self.split_file = split_file if osp.isabs(split_file) else osp.join(data_root, split_file)
        classes = self._find_classes() if osp.isdir(data_root) else None
        super().__init__(data_root=data_root, pipeline=pipeline, test_mode=test_mode,
                         classes=classes, on_bad_sample=on_bad_sample)

    @classmethod
    def missing_root_message(cls, data_root: str) -> str:
        return (f'FolderDataset: data root {data_root!r} does not exist. Expected '
                f'<data_root>/<class>/<video file or frame folder>; set data_root in the config '
                f'or pass --cfg-options data_root=/path/to/videos.')

    def _find_classes(self) -> List[str]:
        if not osp.isdir(self.videos_root):
            raise DatasetError(f'FolderDataset: {self.videos_root!r} is not a folder. Expected '
                               f'<data_root>/<videos_dir>/<class>/<video file or frame folder>.')
        classes = sorted(d for d in os.listdir(self.videos_root)
                         if not d.startswith('.') and osp.isdir(osp.join(self.videos_root, d)))
        if not classes:
            raise DatasetError(f'FolderDataset: no class folders in {self.videos_root!r}. '
                               f'Expected <class>/<video file or frame folder>.')
        return classes

    def _clips(self, name: str) -> List[str]:
        """Clip names in one class folder: video files and frame folders."""
        folder = osp.join(self.videos_root, name)
        return sorted(c for c in os.listdir(folder) if not c.startswith('.') and (
            osp.isdir(osp.join(folder, c)) or osp.splitext(c)[1].lower() in self.extensions))

    def load_rows(self) -> List[dict]:
        classes = list(self._class_names)
        keys, labels = [], []
        for label, name in enumerate(classes):
            clips = self._clips(name)
            keys += [f'{name}/{clip}' for clip in clips]
            labels += [label] * len(clips)
        empty = [c for c in classes if c not in {k.split('/')[0] for k in keys}]
        if empty:
            raise DatasetError(f'FolderDataset: class folders with no video '
                               f'({", ".join(self.extensions)}) or frame folder in '
                               f'{self.videos_root!r}: {empty[:10]}. Remove them or add clips.')
        stems = [osp.splitext(k.split('/', 1)[1])[0] for k in keys]
        mapping = load_or_create_split(
            self.split_file, paths=keys, labels=labels,
            groups=assign_groups(stems, self.group_pattern), split_names=SPLITS,
            ratios=self.split_ratios, seed=self.seed, owner='FolderDataset',
            settings=dict(classes=classes, split_ratios=self.split_ratios, seed=self.seed,
                          group_pattern=self.group_pattern))
        if self.split not in mapping.values():
            raise DatasetError(f'FolderDataset: split {self.split!r} of {self.split_file!r} has no '
                               f'clip (split_ratios={self.split_ratios}).')
        index = {name: i for i, name in enumerate(classes)}
        name = osp.basename(self.split_file)
        return [dict(filename=osp.join(self.videos_root, key),
                     label=index.get(key.split('/')[0], -1), where=f'{name} ({key})')
                for key, split in sorted(mapping.items()) if split == self.split]
