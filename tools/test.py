"""Evaluate a checkpoint.

python tools/test.py CONFIG CHECKPOINT [--split val] [--dump preds.csv]
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis.evaluate_checkpoint import evaluate_checkpoint
from vidreg.engine.entrypoint import add_common_args, run_cli
from vidreg.utils.argument_types import predictions_csv


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='the config the checkpoint was trained with')
    parser.add_argument('checkpoint', help='a .pth file, e.g. work_dirs/<config>/best_*.pth')
    parser.add_argument('--split', choices=['test', 'val'], default='test',
                        help="'val' evaluates the validation set as training did")
    parser.add_argument('--dump', metavar='FILE.csv', type=predictions_csv,
                        help='write one row per video: path,label,pred and scores (a folder: '
                        'FOLDER/predictions.csv)')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    evaluate_checkpoint(args.config, args.checkpoint, split=args.split, dump=args.dump,
                        work_dir=args.work_dir, cfg_options=args.cfg_options, plugins=args.plugin,
                        launcher=args.launcher)


if __name__ == '__main__':
    run_cli(main)
