"""Open every sample of the datasets of a config completely and report each bad one.

    python tools/check_data.py CONFIG [--split train|val|test|all] [--workers N]

Rows are checked as the dataset checks them (missing file, bad label), and a file listed
with two different labels is a conflict. Then every file is opened once (a dataset whose
sampler makes every clip a sample, EveryClipSampleFrames, has a row per clip) with the
configured reader and every frame its header promises is decoded (so a corrupt frame image or a
broken tail is found whichever frames a sampler would draw), and the configured pipeline
runs up to and including ``DecodeFrames`` with a fixed seed per sample (undecodable, too
short for one clip). Samples are checked in parallel; the verdict is the same every run.
Every problem is listed in one table naming the file and the reason; truncated videos
(fewer frames than their header says: clips would repeat the last one) are problems too, and
so are frame or flow folders that ``tools/extract_frames.py`` / ``extract_flow.py`` extracted
from a truncated video, or left unfinished, as their extraction record says.
The exit code is 1 if there is any problem, 0 otherwise.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction

from vidreg.apis.check_data import SPLITS, check_data
from vidreg.engine.entrypoint import run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='a training config')
    parser.add_argument('--split', choices=[*SPLITS, 'all'], default='all',
                        help='which dataloader(s) to check')
    parser.add_argument('--workers', type=int, default=None,
                        help='DataLoader worker processes decoding in parallel; 0 decodes in '
                        'this process (default: one per CPU core available, at most 4)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='NAME=VALUE', help='override config values, as in train.py')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    problems = check_data(args.config, splits=SPLITS if args.split == 'all' else [args.split],
                          workers=args.workers, cfg_options=args.cfg_options)
    return 1 if problems else 0


if __name__ == '__main__':
    run_cli(main)
