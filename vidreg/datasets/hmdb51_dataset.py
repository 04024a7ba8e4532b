"""HMDB51 read as distributed: class folders plus the official split lists."""
import os
import os.path as osp
from typing import Callable, List, Literal, Sequence, Union

from vidreg.registry import DATASETS

from .base_video_dataset import BadSamplePolicy, DatasetError
from .group_split import read_split_lines
from .official_split_dataset import Entry, OfficialSplitDataset

LAYOUT = """Expected layout (as the HMDB51 archives extract):
  <data_root>/<videos_dir>/<class>/<video>.avi            (51 class folders; videos_dir '')
  <data_root>/<splits_dir>/<class>_test_split{1,2,3}.txt  (splits_dir testTrainMulti_7030_splits)
    one line per video: "<video>.avi <id>" with id 1 = train, 2 = test, 0 = unused"""

# HMDB51 names a clip <source>_<class>_<body part>_<camera motion>_<people>_<viewpoint>_<quality>
# _<n>, e.g. April_09_brush_hair_u_nm_np1_ba_goo_0: the source film is what precedes the last
# "_<class>_". Clips of one source share actors and scene, so they stay on one side of a split.
DEFAULT_GROUP_PATTERN = r'^(.+)_{class}_'


@DATASETS.register_module()
class HMDB51Dataset(OfficialSplitDataset):
    """HMDB51 with the official 70/30 splits and a group-aware validation carve-out.

    ``split='test'`` is the official test list (id 2) of ``fold``. ``'train'`` and
    ``'val'`` divide the official training list (id 1): a class-stratified
    ``val_fraction`` of it, made of whole source videos (see ``group_pattern``), is
    validation. The carve-out is made once from ``seed`` and stored next to the split
    lists as ``<splits_dir>/vidreg_trainval_split<fold>_val<fraction>_seed<seed>.csv``
    (or under ``$VIDREG_CACHE_DIR`` when that folder is read-only); later runs reuse it.

    Class names are the sorted class folder names; labels index them.

    Args:
        data_root: The folder holding the class folders and the split lists.
        split: ``'train'``, ``'val'`` or ``'test'``.
        fold: Which official split (1, 2 or 3).
        videos_dir: Folder of the class folders, under ``data_root``.
        splits_dir: Folder of the ``<class>_test_split<fold>.txt`` lists, under ``data_root``.
        val_fraction: Fraction of the training videos used for validation, in ``[0, 1)``;
            0 trains on all of them (then ``split='val'`` is an error).
        group_pattern: Regex searched in a clip's file stem; its first capturing group is
            the source video. ``{class}`` stands for the clip's class name. The default
            strips the class name and the attribute suffix.
        seed: Seed of the validation carve-out.
        Others: see :class:`BaseVideoDataset`.
    """

    name = 'HMDB51'

    def __init__(self,
                 *,
                 data_root: str,
                 split: Literal['train', 'val', 'test'],
                 fold: Literal[1, 2, 3] = 1,
                 videos_dir: str = '',
                 splits_dir: str = 'testTrainMulti_7030_splits',
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
        return (f'HMDB51 not found: data root {data_root!r} does not exist.\n{LAYOUT}\nSet '
                f'data_root in the config or pass --cfg-options data_root=/path/to/hmdb51.')

    def read_class_names(self) -> List[str]:
        """Sorted class folder names, checked against the split lists of ``fold``."""
        if not osp.isdir(self.splits_root):
            raise DatasetError(f'HMDB51 split lists not found: {self.splits_root!r} is not a '
                               f'folder.\n{LAYOUT}\nSet splits_dir if they are elsewhere.')
        if not osp.isdir(self.videos_root):
            raise DatasetError(f'HMDB51 videos not found: {self.videos_root!r} is not a '
                               f'folder.\n{LAYOUT}')
        skip = osp.abspath(self.splits_root)
        folders = sorted(d for d in os.listdir(self.videos_root) if not d.startswith(('.', '_'))
                         and osp.isdir(osp.join(self.videos_root, d))
                         and osp.abspath(osp.join(self.videos_root, d)) != skip)
        suffix = f'_test_split{self.fold}.txt'
        listed = {f[:-len(suffix)] for f in os.listdir(self.splits_root) if f.endswith(suffix)}
        no_list = [c for c in folders if c not in listed]
        no_folder = sorted(listed - set(folders))
        if no_list or no_folder or not folders:
            raise DatasetError(
                f'HMDB51 class folders and split lists disagree (fold {self.fold}): class '
                f'folders in {self.videos_root!r} without {suffix!r} list: {no_list[:10]}; lists '
                f'in {self.splits_root!r} without class folder: {no_folder[:10]}.\n{LAYOUT}')
        return folders

    def official_entries(self, test: bool) -> List[Entry]:
        classes = list(self._class_names)
        official = {1: [], 2: []}  # id -> [(class/video, class index, where)]
        malformed = []
        for label, name in enumerate(classes):
            list_name = f'{name}_test_split{self.fold}.txt'
            for line, fields in read_split_lines(osp.join(self.splits_root, list_name)):
                where = f'{list_name} line {line}'
                if len(fields) != 2 or fields[1] not in ('0', '1', '2'):
                    malformed.append(f'{where}: expected "<video>.avi <0|1|2>", got '
                                     f'{" ".join(fields)!r}')
                elif fields[1] != '0':
                    official[int(fields[1])].append((f'{name}/{fields[0]}', label, where))
        if malformed:
            raise DatasetError(f'HMDB51: {len(malformed)} malformed split lines:\n  '
                               + '\n  '.join(malformed[:20]))
        return official[2 if test else 1]
