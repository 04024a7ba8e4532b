"""Train a model from a config: python tools/train.py CONFIG [--resume [CKPT] | --overwrite]."""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis.train_model import train_model
from vidreg.engine.entrypoint import add_common_args, run_cli


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='config file, e.g. configs/demo/restcn_synthetic.py')
    start = parser.add_mutually_exclusive_group()
    start.add_argument('--resume', nargs='?', const='auto', metavar='CKPT',
                       help='continue an interrupted run: the latest checkpoint of the work '
                       'dir, of the folder CKPT, or the file CKPT')
    start.add_argument('--overwrite', action='store_true',
                       help='train from scratch into a work dir that holds a run: its '
                       'checkpoints, logs and summary are removed first')
    parser.add_argument('--amp', action='store_true', help='mixed precision (GPU)')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    train_model(args.config, work_dir=args.work_dir, cfg_options=args.cfg_options,
                plugins=args.plugin, launcher=args.launcher, resume=args.resume,
                overwrite=args.overwrite, amp=args.amp)


if __name__ == '__main__':
    run_cli(main)
