"""Fuse the dumped predictions of separately trained streams (late fusion of their scores).

    python tools/test.py configs/rgb.py rgb.pth --dump rgb.csv
    python tools/test.py configs/flow.py flow.pth --dump flow.csv
    python tools/fuse_predictions.py rgb.csv flow.csv --weights 1 1.5 --out fused.csv

Each CSV is ``tools/test.py --dump``'s classification table (``path,label,pred,score_<class>...``,
one row per video, scores averaged over its clips). The fused scores are the weighted average of
the streams' scores, the same fusion as ``LateFusionHead(mode='average')``. Prints the top-1
accuracy of every input and of the fusion, over the videos they share.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis.fuse_predictions import fuse_prediction_files
from vidreg.engine.entrypoint import run_cli


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('predictions', nargs='+', help='CSV files of tools/test.py --dump')
    parser.add_argument('--weights', type=float, nargs='+',
                        help='one weight per file (default equal), e.g. 1 1.5 for RGB, flow')
    parser.add_argument('--out', help='write the fused predictions here (same CSV layout)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    fuse_prediction_files(args.predictions, args.weights, args.out)


if __name__ == '__main__':
    run_cli(main)
