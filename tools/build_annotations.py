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
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.preparation import LAYOUTS, build_annotations


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('format', choices=LAYOUTS)
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


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    build_annotations(args.format, args.data_root, out_dir=args.out_dir, prefix=args.prefix,
                      fold=args.fold, val_fraction=args.val_fraction,
                      split_ratios=tuple(args.split_ratios), seed=args.seed, label=args.label,
                      task=args.task, on_bad_sample=args.on_bad_sample)


if __name__ == '__main__':
    run_cli(main)
