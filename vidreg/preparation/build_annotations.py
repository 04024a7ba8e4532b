"""Write path,label CSVs (train/val/test) for a dataset layout: folder, daisee, hmdb51, ucf101.

The rows are those of the dataset classes (FolderDataset, DAiSEEDataset, HMDB51Dataset,
UCF101Dataset): the same splits, validation carve-outs and checks. Paths are relative to
the data root, so ``CSVDataset(data_root=DATA_ROOT, ann_file='train.csv', classes='classes.txt')``
reads them back. Files are written atomically. ``tools/build_annotations.py`` is the command line.
"""
import os.path as osp
from collections import Counter
from typing import Dict, List, Literal, Optional, Tuple

from rich.console import Console
from rich.table import Table

from vidreg.datasets.base_video_dataset import BadSamplePolicy, BaseVideoDataset, Task
from vidreg.datasets.daisee_dataset import DAiSEEDataset
from vidreg.datasets.folder_dataset import FolderDataset
from vidreg.datasets.group_split import write_csv_atomic, write_text_atomic
from vidreg.datasets.hmdb51_dataset import HMDB51Dataset
from vidreg.datasets.ucf101_dataset import UCF101Dataset

__all__ = ['LAYOUTS', 'build_annotations', 'layout_datasets', 'dump_rows']

LAYOUTS = ('folder', 'daisee', 'hmdb51', 'ucf101')
Layout = Literal['folder', 'daisee', 'hmdb51', 'ucf101']
SPLITS = ('train', 'val', 'test')


def layout_datasets(layout: Layout, data_root: str, *, fold: int = 1,
                    val_fraction: float = 0.1,
                    split_ratios: Tuple[float, float, float] = (0.7, 0.15, 0.15), seed: int = 0,
                    label: str = 'Engagement', task: Task = 'classification',
                    on_bad_sample: BadSamplePolicy = 'error') -> Dict[str, BaseVideoDataset]:
    """The splits of a dataset layout, as vidreg datasets (see :func:`build_annotations`)."""
    common = dict(data_root=data_root, on_bad_sample=on_bad_sample)
    if layout == 'daisee':
        names = dict(train='Train', val='Validation', test='Test')
        return {s: DAiSEEDataset(**common, split=names[s], task=task, label=label)
                for s in SPLITS}
    if layout == 'folder':
        return {s: FolderDataset(**common, split=s, split_ratios=tuple(split_ratios), seed=seed)
                for s in SPLITS}
    cls = HMDB51Dataset if layout == 'hmdb51' else UCF101Dataset
    splits = SPLITS if val_fraction > 0 else ('train', 'test')
    return {s: cls(**common, split=s, fold=fold, val_fraction=val_fraction, seed=seed)
            for s in splits}


def dump_rows(dataset: BaseVideoDataset, data_root: str) -> List[list]:
    """``[relative path, label...]`` for every row of the dataset."""
    rows = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        label = info['label'] if isinstance(info['label'], (list, tuple)) else [info['label']]
        rows.append([osp.relpath(info['filename'], data_root), *label])
    return rows


def build_annotations(layout: Layout, data_root: str, *, out_dir: Optional[str] = None,
                      prefix: str = '', console: Optional[Console] = None,
                      **split_options) -> List[str]:
    """Write ``<prefix><split>.csv`` for each split (and ``<prefix>classes.txt`` when the
    layout names classes) into ``out_dir``; print a table of the splits.

    Args:
        layout: ``'folder'`` (a folder per class), ``'daisee'``, ``'hmdb51'`` or ``'ucf101'``
            (as their archives extract).
        data_root: The dataset folder.
        out_dir: Where the files go (default: ``data_root``).
        prefix: File name prefix, e.g. ``'split1_'``.
        console: Where the table goes (default: the terminal).
        split_options: ``fold`` and ``val_fraction`` (hmdb51/ucf101: the official split and the
            part of its training videos kept for validation), ``split_ratios`` (folder),
            ``seed`` (of any split vidreg makes), ``label`` and ``task`` (daisee: the
            affective state and the label type), ``on_bad_sample`` (``'error'`` or
            ``'warn_skip'``); see :func:`layout_datasets`.

    Returns:
        The files written.

    Raises:
        DatasetError: The layout's files are missing or bad (named in the message).
    """
    out_dir = out_dir or data_root
    datasets = layout_datasets(layout, data_root, **split_options)
    table = Table(title=f'{layout} annotations in {out_dir}')
    for column in ('split', 'file', 'videos', 'classes', 'smallest class', 'largest class'):
        table.add_column(column, justify='left' if column in ('split', 'file') else 'right')
    classes, written = None, []
    for split, dataset in datasets.items():
        rows = dump_rows(dataset, data_root)
        width = len(rows[0]) - 1
        header = ['path'] + (['label'] if width == 1 else [f'label_{k}' for k in range(width)])
        file = osp.join(out_dir, f'{prefix}{split}.csv')
        write_csv_atomic(file, header, rows)
        written.append(file)
        classes = dataset.metainfo.get('classes', classes)
        counts = Counter(r[1] for r in rows) if width == 1 and dataset.task == 'classification' \
            else Counter()
        sizes = sorted(counts.values()) or ['-']
        table.add_row(split, file, str(len(rows)), str(len(counts) or '-'), str(sizes[0]),
                      str(sizes[-1]))
    if classes:
        names = osp.join(out_dir, f'{prefix}classes.txt')
        write_text_atomic(names, ''.join(f'{c}\n' for c in classes))
        written.append(names)
        table.caption = f'class names (label order): {names}'
    (console or Console()).print(table)
    return written
