"""Pooled embeddings of videos from a trained model, for other models to use.

python tools/extract_features.py CHECKPOINT INPUT... --out feats.npz [--stage N]
python tools/extract_features.py CHECKPOINT LONG.mp4 --out feats.npz --window 4 --stride 2

INPUT: video files, frame folders, folders of videos (searched recursively) or path CSVs, as
for tools/infer.py. Each video goes through the checkpoint's test pipeline; its row is the
embedding the head reads, averaged over the views, or with --stage N (an index or a name such
as layer3) that backbone stage's maps averaged over time and space. With --window S every
S-second window is a row (start/end seconds stored), decoded a batch of windows at a time, so
long videos take bounded memory. feats.npz holds features (N, E) float32, paths (N,), stage,
start/end (windows), and bad_inputs/bad_reasons: unusable inputs are skipped, listed at the
end and in the file (exit code 1). The file is written atomically; an existing one is
replaced only with --force.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis.extract_features import extract_feature_file
from vidreg.engine.entrypoint import run_cli
from vidreg.utils.argument_types import positive_float, positive_int


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoint', help='a .pth checkpoint written by tools/train.py')
    parser.add_argument('inputs', nargs='+', metavar='INPUT')
    parser.add_argument('--out', required=True, metavar='FEATS.npz', help='the .npz to write')
    parser.add_argument('--stage', help='a backbone stage (index or name); default: the '
                        'embedding the head reads')
    parser.add_argument('--window', type=positive_float, metavar='SECONDS',
                        help='one row per window of this length')
    parser.add_argument('--stride', type=positive_float, metavar='SECONDS',
                        help='seconds between windows (default: --window)')
    parser.add_argument('--batch-size', type=positive_int, default=4,
                        help='windows per forward pass')
    parser.add_argument('--config', help='use this config instead of the checkpoint\'s own')
    parser.add_argument('--device', default='cpu', help="'cpu', 'cuda', ...")
    parser.add_argument('--force', action='store_true', help='replace an existing --out')
    args = parser.parse_args(argv)
    if args.stride is not None and args.window is None:
        parser.error('--stride needs --window (the window length in seconds)')
    if not args.out.endswith('.npz'):
        parser.error(f'--out {args.out}: name a .npz file, e.g. feats.npz')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    return extract_feature_file(args.checkpoint, args.inputs, args.out, stage=args.stage,
                                window=args.window, stride=args.stride, config=args.config,
                                device=args.device, batch_size=args.batch_size,
                                force=args.force)


if __name__ == '__main__':
    run_cli(main)
