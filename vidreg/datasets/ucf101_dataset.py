"""UCF101 read as distributed: ``UCF-101/<Class>/*.avi`` plus ``ucfTrainTestlist/``."""
import os.path as osp
from typing import Callable, Dict, List, Literal, Sequence, Union

from vidreg.registry import DATASETS

from .base_video_dataset import BadSamplePolicy, DatasetError
from .group_split import read_split_lines
from .official_split_dataset import Entry, OfficialSplitDataset

LAYOUT = """Expected layout (as the UCF101 archives extract):
  <data_root>/<videos_dir>/<Class>/v_<Class>_g<GG>_c<CC>.avi         (default videos_dir UCF-101)
  <data_root>/<splits_dir>/classInd.txt                               ("<index 1-based> <Class>")
  <data_root>/<splits_dir>/trainlist0{1,2,3}.txt                      ("<Class>/<file>.avi <index>")
  <data_root>/<splits_dir>/testlist0{1,2,3}.txt                       ("<Class>/<file>.avi")
  (default splits_dir ucfTrainTestlist)"""

# v_ApplyEyeMakeup_g08_c01: clips with the same gGG come from one source video (group).
DEFAULT_GROUP_PATTERN = r'_(g\d+)_c\d+$'


@DATASETS.register_module()
class UCF101Dataset(OfficialSplitDataset):
    """UCF101 with the official group-disjoint splits and a validation carve-out by group.

    ``split='test'`` is ``testlist0<fold>.txt``. ``'train'`` and ``'val'`` divide
    ``trainlist0<fold>.txt``: whole groups ``gGG`` (about ``val_fraction`` of the clips of
    every class) form the validation set, as the official splits hold out whole groups
    for testing. The carve-out is made once from ``seed`` and stored as
    ``<splits_dir>/vidreg_trainval_split<fold>_val<fraction>_seed<seed>.csv`` (or under
    ``$VIDREG_CACHE_DIR`` when that folder is read-only); later runs reuse it.

    Class names and their order come from ``classInd.txt`` (label = index - 1).

    Args:
        data_root: The folder holding ``videos_dir`` and ``splits_dir``.
        split: ``'train'``, ``'val'`` or ``'test'``.
        fold: Which official split (1, 2 or 3).
        videos_dir: Folder of the class folders, under ``data_root``.
        splits_dir: Folder of the split lists, under ``data_root``.
        val_fraction: Fraction of the training clips used for validation, in ``[0, 1)``;
            0 trains on all of them (then ``split='val'`` is an error).
        group_pattern: Regex searched in a clip's file stem; its first capturing group is
            the group. A group key is shared by all classes (``g08`` of every class goes to
            the same side), as in the official splits.
        seed: Seed of the validation carve-out.
        Others: see :class:`BaseVideoDataset`.
    """

    name = 'UCF101'

    def __init__(self,
                 *,
                 data_root: str,
                 split: Literal['train', 'val', 'test'],
                 fold: Literal[1, 2, 3] = 1,
                 videos_dir: str = 'UCF-101',
                 splits_dir: str = 'ucfTrainTestlist',
                 val_fraction: float = 0.1,
                 group_pattern: str = DEFAULT_GROUP_PATTERN,
                 seed: int = 0,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 on_bad_sample: BadSamplePolicy = 'error') -> None:
        super().__init__(data_root=data_root, split=split, fold=fold, videos_dir=videos_dir,
                         splits_dir=splits_dir, val_fraction=val_fraction,
                         group_pattern=group_pattern, seed=seed, pipeline=pipeline,
                         test_mode=test_mode, on_bad_sample=on_bad_sample)

    @classmethod
    def missing_root_message(cls, data_root: str) -> str:
        return (f'UCF101 not found: data root {data_root!r} does not exist.\n{LAYOUT}\nSet '
                f'data_root in the config or pass --cfg-options data_root=/path/to/ucf101.')

    def _list_file(self, name: str) -> str:
        path = osp.join(self.splits_root, name)
        if not osp.isdir(self.splits_root):
            raise DatasetError(f'UCF101 split lists not found: {self.splits_root!r} is not a '
                               f'folder.\n{LAYOUT}\nSet splits_dir if they are elsewhere.')
        if not osp.isfile(path):
            raise DatasetError(f'UCF101 split list {path!r} does not exist.\n{LAYOUT}')
        return path

    def read_class_names(self) -> List[str]:
        """Class names from ``classInd.txt``, checked to be numbered 1..K."""
        entries = read_split_lines(self._list_file('classInd.txt'))
        bad = [f'line {n}: {" ".join(f)!r}' for n, f in entries
               if len(f) != 2 or not f[0].isdigit()]
        indices = [int(f[0]) for _, f in entries if len(f) == 2 and f[0].isdigit()]
        if bad or sorted(indices) != list(range(1, len(entries) + 1)):
            raise DatasetError(f'{osp.join(self.splits_root, "classInd.txt")}: expected lines '
                               f'"<index> <Class>" numbered 1..K; bad lines {bad[:5]}, indices '
                               f'{sorted(indices)[:5]}...')
        return [f[1] for _, f in sorted(entries, key=lambda e: int(e[1][0]))]

    def official_entries(self, test: bool) -> List[Entry]:
        classes = list(self._class_names)
        index: Dict[str, int] = {name.lower(): i for i, name in enumerate(classes)}
        list_name = f'{"test" if test else "train"}list0{self.fold}.txt'
        entries, malformed = [], []  # entries: (relative path, label, where)
        for line, fields in read_split_lines(self._list_file(list_name)):
            where = f'{list_name} line {line}'
            folder = fields[0].replace('\\', '/').split('/')[0] if fields else ''
            label = index.get(folder.lower())  # the lists spell some classes differently
            expected = 1 if test else 2
            if len(fields) != expected or '/' not in fields[0].replace('\\', '/'):
                form = '<Class>/<file>.avi' + (' <index>' if expected == 2 else '')
                malformed.append(f'{where}: expected "{form}", got {" ".join(fields)!r}')
            elif label is None:
                malformed.append(f'{where}: class folder {folder!r} is not in classInd.txt')
            elif expected == 2 and fields[1] != str(label + 1):
                malformed.append(f'{where}: index {fields[1]} disagrees with classInd.txt, which '
                                 f'numbers {folder!r} {label + 1}')
            else:
                entries.append((fields[0].replace('\\', '/'), label, where))
        if malformed:
            raise DatasetError(f'UCF101: {len(malformed)} malformed split lines:\n  '
                               + '\n  '.join(malformed[:20]))
        return entries
