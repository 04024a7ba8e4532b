"""Time a config's data pipeline (decode, sample, transforms, collate) in one process, one thread.

    python tools/benchmark_data.py CONFIG [--split train|val|test] [--videos FILE ...]
        [--backend NAME ...] [--num N] [--workers N ...] [--repeat N] [--cfg-options ...]

Pin it to one core for figures comparable with MMAction2's (``taskset -c 0 python ...``).
What is counted: a *clip* is one temporal clip (``num_clips`` per video, as MMAction2 counts
its test pipeline), a *view* is one clip x crop (what the model sees), a *video* is one sample.
A training sample is one clip and one view. Each sample is also batched alone with
``video_collate`` (the one copy of its frames into a batch), so the time is all the work a
DataLoader worker does per sample. The last line is ``clips/s: X`` for the first backend measured.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction

from vidreg.apis.benchmark_data import BACKENDS, benchmark_data
from vidreg.engine.entrypoint import run_cli


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='config file, e.g. configs/bench_clip16x4.py')
    parser.add_argument('--split', choices=['train', 'val', 'test'], default='train',
                        help="whose dataloader's pipeline to run (val/test run in test mode)")
    parser.add_argument('--videos', nargs='+', metavar='FILE',
                        help="video files or frame folders to use instead of the config's data")
    parser.add_argument('--backend', nargs='+', choices=BACKENDS, metavar='NAME',
                        help=f'OpenVideo reader(s) to measure, one table row each '
                        f'({", ".join(BACKENDS)}); default: the configured one')
    parser.add_argument('--num', type=int, default=50,
                        help='samples (videos) to time per backend, cycling over the videos')
    parser.add_argument('--warmup', type=int, default=1, help='untimed samples first')
    parser.add_argument('--clock', choices=['wall', 'cpu'], default='wall',
                        help="'cpu' counts this process's CPU time: steadier on a busy machine")
    parser.add_argument('--workers', type=int, nargs='+', default=[0], metavar='N',
                        help='N > 0: time a real DataLoader with N worker processes instead '
                        '(wall clock, batches collated into shared memory), to choose '
                        'num_workers; several counts (--workers 1 2) give a row each')
    parser.add_argument('--batch-size', type=int, default=8, help='batch size with --workers')
    parser.add_argument('--repeat', type=int, default=1, metavar='N',
                        help='N rounds, each over every worker count in turn; a row shows the '
                        'median round and the range (use 5+ for a speed-up figure on a '
                        'shared machine)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='NAME=VALUE', help='override config values, as in tools/train.py')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    benchmark_data(args.config, split=args.split, videos=args.videos, backends=args.backend,
                   num=args.num, warmup=args.warmup, clock=args.clock, workers=args.workers,
                   batch_size=args.batch_size, repeat=args.repeat,
                   cfg_options=args.cfg_options)


if __name__ == '__main__':
    run_cli(main)
