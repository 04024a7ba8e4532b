"""DAiSEE read as distributed: ``DataSet/<Split>/...`` videos and ``Labels/*Labels.csv``."""
import os.path as osp
from typing import Callable, List, Literal, Sequence, Union

from vidreg.registry import DATASETS

from .annotation_csv import read_csv_table
from .base_video_dataset import BadSamplePolicy, BaseVideoDataset, DatasetError, Task, parse_label

AFFECTIVE_STATES = ('Boredom', 'Engagement', 'Confusion', 'Frustration')
LAYOUT = """Expected layout (as the DAiSEE archive extracts):
  <data_root>/DataSet/{Train,Validation,Test}/<SubjectID>/<ClipID>/<ClipID>.avi
  <data_root>/Labels/{Train,Validation,Test}Labels.csv
      (header ClipID,Boredom,Engagement,Confusion,Frustration)"""


@DATASETS.register_module()
class DAiSEEDataset(BaseVideoDataset):
    """DAiSEE engagement (or any affective state) with the official subject-disjoint splits.

    Labels are ordinal levels 0-3: four classes, or numbers with ``task='regression'``.
    Several states (``label=['Engagement', 'Boredom']``) give a multi-output regression.

    Args:
        data_root: The folder holding ``DataSet/`` and ``Labels/``.
        split: ``'Train'``, ``'Validation'`` or ``'Test'``.
        label: Affective state(s) to predict.
        videos_dir: Folder of videos under ``data_root``.
        labels_dir: Folder of label CSVs under ``data_root``.
        Others: see :class:`BaseVideoDataset`.
    """

    def __init__(self,
                 *,
                 data_root: str,
                 split: Literal['Train', 'Validation', 'Test'],
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 task: Task = 'classification',
                 label: Union[str, Sequence[str]] = 'Engagement',
                 videos_dir: str = 'DataSet',
                 labels_dir: str = 'Labels',
                 on_bad_sample: BadSamplePolicy = 'error') -> None:
        if split not in ('Train', 'Validation', 'Test'):
            raise DatasetError(
                f"DAiSEE split must be 'Train', 'Validation' or 'Test', got {split!r}")
        self.states = [label] if isinstance(label, str) else list(label)
        unknown = [s for s in self.states if s not in AFFECTIVE_STATES]
        if unknown:
            raise DatasetError(
                f'Unknown DAiSEE label(s) {unknown}; choose from {AFFECTIVE_STATES}.')
        if task == 'classification' and len(self.states) != 1:
            raise DatasetError('Classification predicts one affective state; use task="regression" '
                               'for several.')
        self.split, self.videos_dir = split, videos_dir
        ann_file = osp.join(labels_dir, f'{split}Labels.csv')
        classes = ['very low', 'low', 'high', 'very high'] if task == 'classification' else None
        super().__init__(ann_file=ann_file, data_root=data_root, pipeline=pipeline,
                         test_mode=test_mode, task=task, num_classes=4 if classes else None,
                         classes=classes, on_bad_sample=on_bad_sample)

    @classmethod
    def missing_root_message(cls, data_root: str) -> str:
        return (f'DAiSEE not found: data root {data_root!r} does not exist.\n{LAYOUT}\nPoint the '
                f'config at your copy: set data_root in the config or pass '
                f'--cfg-options data_root=/path/to/DAiSEE.')

    def target_names(self) -> List[str]:
        """The affective states read, one per regression target."""
        return list(self.states)

    def load_rows(self) -> List[dict]:
        if not osp.isfile(self.ann_file):
            raise DatasetError(
                f'DAiSEE labels not found: {self.ann_file!r} does not exist.\n{LAYOUT}')
        # Column names are stripped: 'Frustration ' has a space.
        table = read_csv_table(self.ann_file, header=f'ClipID,{",".join(self.states)}',
                               skipinitialspace=False)
        missing = [c for c in ['ClipID', *self.states] if c not in table.columns]
        if missing:
            raise DatasetError(f'{self.ann_file}: missing column(s) {missing}; found '
                               f'{list(table.columns)}.')
        name = osp.basename(self.ann_file)
        rows = []
        for i, record in enumerate(table.to_dict('records')):
            clip = record['ClipID'].strip()
            labels = [parse_label(record[s].strip()) for s in self.states]
            rows.append(dict(filename=self._video_path(clip),
                             label=labels[0] if len(labels) == 1 else labels,
                             where=f'{name} line {i + 2} (ClipID {clip})'))
        return rows

    def _video_path(self, clip: str) -> str:
        """``1100011002.avi`` -> ``DataSet/<split>/110001/1100011002/1100011002.avi``.

        A few clips are stored as ``.mp4`` while the label file says ``.avi`` (or the
        reverse); the other extension is tried before giving up.
        """
        stem, ext = osp.splitext(clip)
        folder = osp.join(self.data_root, self.videos_dir, self.split, stem[:6], stem)
        for candidate in (clip, stem + '.mp4', stem + '.avi', stem + (ext or '.avi')):
            path = osp.join(folder, candidate)
            if osp.isfile(path):
                return path
        return osp.join(folder, clip if ext else stem + '.avi')
