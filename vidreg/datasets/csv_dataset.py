"""Annotation CSV of ``path,label`` rows (the ResNet-TCN seed's format)."""
import os.path as osp
from typing import Callable, List, Optional, Sequence, Union

from vidreg.registry import DATASETS

from .annotation_csv import read_csv_table
from .base_video_dataset import BadSamplePolicy, BaseVideoDataset, DatasetError, Task, parse_label


@DATASETS.register_module()
class CSVDataset(BaseVideoDataset):
    """Videos or frame folders listed in a CSV file.

    The file has a header; ``path`` is a video file or a folder of frames
    (relative paths resolve against ``data_root``); ``label`` is an integer class
    or, with ``task='regression'``, a float target. Several label columns give a
    multi-output regression target::

        path,label
        videos/train/826412/8264120240.avi,0
        frames/train/510034/5100342024/,1

    Args:
        ann_file: The CSV file (CRLF line endings and spaces around names are fine).
        path_column: Name of the column holding paths.
        label_columns: Name(s) of the label column(s).
        Others: see :class:`BaseVideoDataset`.
    """

    data_root_required = False  # absolute ann_file and rows need no data_root

    def __init__(self,
                 *,
                 ann_file: str,
                 data_root: str = '',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 task: Task = 'classification',
                 num_classes: Optional[int] = None,
                 classes: Union[str, Sequence[str], None] = None,
                 path_column: str = 'path',
                 label_columns: Union[str, Sequence[str]] = 'label',
                 on_bad_sample: BadSamplePolicy = 'error') -> None:
        self.path_column = path_column
        self.label_columns = [label_columns] if isinstance(label_columns, str) else list(
            label_columns)
        super().__init__(ann_file=ann_file, data_root=data_root, pipeline=pipeline,
                         test_mode=test_mode, task=task, num_classes=num_classes, classes=classes,
                         on_bad_sample=on_bad_sample)

    def target_names(self) -> List[str]:
        """The label columns, one per regression target."""
        return list(self.label_columns)

    def load_rows(self) -> List[dict]:
        if not osp.isfile(self.ann_file):
            raise DatasetError(
                f'Annotation file {self.ann_file!r} does not exist. Expected a CSV with a header '
                f'line "{self.path_column},{",".join(self.label_columns)}" and one row per video; '
                f'set ann_file (relative to data_root={self.data_root!r}) in the config.')
        table = read_csv_table(self.ann_file,
                               header=f'{self.path_column},{",".join(self.label_columns)}')
        missing = [c for c in [self.path_column, *self.label_columns] if c not in table.columns]
        if missing:
            raise DatasetError(
                f'{self.ann_file}: missing column(s) {missing}; found {list(table.columns)}. The '
                f'first line must be a header such as "path,label".')
        name = osp.basename(self.ann_file)
        rows = []
        for i, record in enumerate(table.to_dict('records')):
            labels = [parse_label(record[c].strip()) for c in self.label_columns]
            rows.append(dict(filename=self.resolve_path(record[self.path_column]),
                             label=labels[0] if len(labels) == 1 else labels,
                             where=f'{name} line {i + 2}'))
        return rows
