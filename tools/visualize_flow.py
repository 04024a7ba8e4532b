"""Save a PNG of one frame beside its optical flow by each method, colour-coded.

python tools/visualize_flow.py VIDEO [--frame 60] [--gap 2] [--methods dis:fast dis:medium
    farneback] [--short-side 256] [--out flow.png]

The flow is computed the way the OpticalFlow transform computes it (vidreg.pipeline.flow),
between frame N and frame N + gap, on grayscale frames resized to --short-side. Colours:
direction is hue (rightwards red, leftwards cyan), speed is brightness (the fastest pixel of each
panel is the brightest); still pixels are black.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.visualization.flow_picture import METHODS, save_flow_picture


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video')
    parser.add_argument('--frame', type=int, default=60, help='first frame of the pair')
    parser.add_argument('--gap', type=int, default=2, help='frames between the two of the pair')
    parser.add_argument('--methods', nargs='+', default=list(METHODS),
                        help="'dis:<ultrafast|fast|medium>' or 'farneback'")
    parser.add_argument('--short-side', type=int, default=256)
    parser.add_argument('--out', default='flow.png')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    save_flow_picture(args.video, args.out, frame=args.frame, gap=args.gap, methods=args.methods,
                      short_side=args.short_side)


if __name__ == '__main__':
    run_cli(main)
