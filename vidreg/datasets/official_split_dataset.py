"""What HMDB51 and UCF101 share: official split lists per fold and a group-aware val carve-out."""
import os.path as osp
from typing import Callable, List, Literal, Sequence, Tuple, Union

from .base_video_dataset import BadSamplePolicy, BaseVideoDataset, DatasetError
from .group_split import carve_validation

Entry = Tuple[str, int, str]  # (video path relative to videos_root, label, where it was listed)


class OfficialSplitDataset(BaseVideoDataset):
    """Base of datasets distributed with official train/test lists for folds 1-3.

    ``split='test'`` is the official test list of ``fold``. ``'train'`` and ``'val'``
    divide the official training list: a class-stratified ``val_fraction`` of it, made
    of whole groups (clips of one source video, see ``group_pattern``), is validation.
    The carve-out is made once from ``seed`` and stored as
    ``<splits_dir>/vidreg_trainval_split<fold>_val<fraction>_seed<seed>.csv`` (or under
    ``$VIDREG_CACHE_DIR`` when that folder is read-only); later runs reuse it.

    Subclasses set ``name`` and implement :meth:`read_class_names` and
    :meth:`official_entries`.

    Args:
        data_root: The folder holding ``videos_dir`` and ``splits_dir``.
        split: ``'train'``, ``'val'`` or ``'test'``.
        fold: Which official split (1, 2 or 3).
        videos_dir: Folder of the class folders, under ``data_root``.
        splits_dir: Folder of the split lists, under ``data_root``.
        val_fraction: Fraction of the training videos used for validation, in ``[0, 1)``;
            0 trains on all of them (then ``split='val'`` is an error).
        group_pattern: Regex searched in a clip's file stem; its first capturing group is
            the source video. ``{class}`` stands for the clip's class name.
        seed: Seed of the validation carve-out.
        Others: see :class:`BaseVideoDataset`.
    """

    name = ''

    def __init__(self,
                 *,
                 data_root: str,
                 split: Literal['train', 'val', 'test'],
                 fold: Literal[1, 2, 3],
                 videos_dir: str,
                 splits_dir: str,
                 val_fraction: float,
                 group_pattern: str,
                 seed: int,
                 pipeline: Sequence[Union[dict, Callable]],
                 test_mode: bool,
                 on_bad_sample: BadSamplePolicy) -> None:
        if split not in ('train', 'val', 'test'):
            raise DatasetError(f"{self.name} split must be 'train', 'val' or 'test', got {split!r}")
        if fold not in (1, 2, 3):
            raise DatasetError(f'{self.name} fold must be 1, 2 or 3, got {fold!r}')
        self.split, self.fold, self.val_fraction = split, fold, val_fraction
        self.group_pattern, self.seed = group_pattern, seed
        self.videos_root = osp.join(data_root, videos_dir)
        self.splits_root = osp.join(data_root, splits_dir)
        classes = self.read_class_names() if osp.isdir(data_root) else None
        super().__init__(data_root=data_root, pipeline=pipeline, test_mode=test_mode,
                         classes=classes, on_bad_sample=on_bad_sample)

    def read_class_names(self) -> List[str]:
        """Class names in label order, checked against the split lists."""
        raise NotImplementedError

    def official_entries(self, test: bool) -> List[Entry]:
        """The official test list (``test=True``) or training list of ``self.fold``."""
        raise NotImplementedError

    def load_rows(self) -> List[dict]:
        classes = list(self._class_names)
        entries = self.official_entries(test=self.split == 'test')
        if self.split != 'test':
            file = osp.join(self.splits_root, f'vidreg_trainval_split{self.fold}_'
                                              f'val{self.val_fraction:g}_seed{self.seed}.csv')
            keep = carve_validation(
                keys=[path for path, _, _ in entries], labels=[label for _, label, _ in entries],
                stems=[osp.splitext(osp.basename(path))[0] for path, _, _ in entries],
                class_names=[classes[label] for _, label, _ in entries], split=self.split,
                val_fraction=self.val_fraction, group_pattern=self.group_pattern, seed=self.seed,
                file=file, owner=type(self).__name__,
                settings=dict(dataset=self.name, fold=self.fold, val_fraction=self.val_fraction,
                              seed=self.seed, group_pattern=self.group_pattern, classes=classes))
            entries = [entry for entry, kept in zip(entries, keep) if kept]
        return [dict(filename=osp.join(self.videos_root, path), label=label, where=where)
                for path, label, where in entries]
