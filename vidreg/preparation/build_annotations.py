"""Write path,label CSVs (train/val/test) for a dataset layout: folder, daisee, hmdb51, ucf101.

    python tools/build_annotations.py hmdb51 /data/hmdb51 --fold 1
    python tools/build_annotations.py folder /data/my_videos --split-ratios 0.7 0.15 0.15

The rows are those of the dataset classes (FolderDataset, DAiSEEDataset, HMDB51Dataset,
UCF101Dataset): the same splits, validation carve-outs and checks. Paths are relative to
DATA_ROOT, so ``CSVDataset(data_root=DATA_ROOT, ann_file='train.csv', classes='classes.txt')``
reads them back. Files are written atomically.
"""
import argparse
import os.path as osp
import sys
from collections import Counter
from typing import Dict, List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from vidreg.datasets import (  # noqa: E402
    BaseVideoDataset,
    DAiSEEDataset,
    FolderDataset,
    HMDB51Dataset,
    UCF101Dataset,
)
from vidreg.datasets.group_split import write_csv_atomic, write_text_atomic  # noqa: E402
from vidreg.engine.entrypoint import run_cli  # noqa: E402

SPLITS = ('train', 'val', 'test')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('format', choices=['folder', 'daisee', 'hmdb51', 'ucf101'])
    parser.add_argument('data_root', help='the dataset folder, as the archive extracts')
    parser.add_argument('--out-dir', help='where the CSVs go (default: DATA_ROOT)')
    parser.add_argument('--prefix', default='', help='file name prefix, e.g. "split1_"')
    parser.add_argument('--fold', type=int, default=1, choices=[1, 2, 3],
                        help='hmdb51/ucf101: official split')
    parser.add_argument('--val-fraction', type=float, default=0.1,
                        help='hmdb51/ucf101: part of the training videos kept for validation')
    parser.add_argument('--split-ratios', type=float, nargs=3, default=(0.7, 0.15, 0.15),
                        metavar=('TRAIN', 'VAL', 'TEST'), help='folder: split fractions')
    parser.add_argument('--seed', type=int, default=0, help='seed of any split vidreg makes')
    parser.add_argument('--label', default='Engagement', help='daisee: affective state')
    parser.add_argument('--task', choices=['classification', 'regression'],
                        default='classification', help='daisee: label type')
    parser.add_argument('--on-bad-sample', choices=['error', 'warn_skip'], default='error',
                        help='missing videos or bad labels: stop (default) or leave them out')
    return parser.parse_args(argv)


def build_datasets(args: argparse.Namespace) -> Dict[str, BaseVideoDataset]:
    """The three splits of the chosen format, as vidreg datasets."""
    common = dict(data_root=args.data_root, on_bad_sample=args.on_bad_sample)
    if args.format == 'daisee':
        names = dict(train='Train', val='Validation', test='Test')
        return {s: DAiSEEDataset(**common, split=names[s], task=args.task, label=args.label)
                for s in SPLITS}
    if args.format == 'folder':
        return {s: FolderDataset(**common, split=s, split_ratios=tuple(args.split_ratios),
                                 seed=args.seed) for s in SPLITS}
    cls = HMDB51Dataset if args.format == 'hmdb51' else UCF101Dataset
    splits = SPLITS if args.val_fraction > 0 else ('train', 'test')
    return {s: cls(**common, split=s, fold=args.fold, val_fraction=args.val_fraction,
                   seed=args.seed) for s in splits}


def dump_rows(dataset: BaseVideoDataset, data_root: str) -> List[list]:
    """``[relative path, label...]`` for every row of the dataset."""
    rows = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        label = info['label'] if isinstance(info['label'], (list, tuple)) else [info['label']]
        rows.append([osp.relpath(info['filename'], data_root), *label])
    return rows


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    out_dir = args.out_dir or args.data_root
    datasets = build_datasets(args)
    table = Table(title=f'{args.format} annotations in {out_dir}')
    for column in ('split', 'file', 'videos', 'classes', 'smallest class', 'largest class'):
        table.add_column(column, justify='left' if column in ('split', 'file') else 'right')
    classes = None
    for split, dataset in datasets.items():
        rows = dump_rows(dataset, args.data_root)
        width = len(rows[0]) - 1
        header = ['path'] + (['label'] if width == 1 else [f'label_{k}' for k in range(width)])
        file = osp.join(out_dir, f'{args.prefix}{split}.csv')
        write_csv_atomic(file, header, rows)
        classes = dataset.metainfo.get('classes', classes)
        counts = Counter(r[1] for r in rows) if width == 1 and dataset.task == 'classification' \
            else Counter()
        sizes = sorted(counts.values()) or ['-']
        table.add_row(split, file, str(len(rows)), str(len(counts) or '-'), str(sizes[0]),
                      str(sizes[-1]))
    if classes:
        names = osp.join(out_dir, f'{args.prefix}classes.txt')
        write_text_atomic(names, ''.join(f'{c}\n' for c in classes))
        table.caption = f'class names (label order): {names}'
    Console().print(table)


if __name__ == '__main__':
    run_cli(main)
