"""Predict videos from a checkpoint alone (or an exported .onnx, without torch).

python tools/infer.py CHECKPOINT INPUT... [--topk 5] [--out PREFIX] [--force]
python tools/infer.py CHECKPOINT LONG.mp4 --window 4 --stride 2 [--out-video out.mp4]
python tools/infer.py MODEL.onnx INPUT... --backend onnxruntime
python tools/infer.py CHECKPOINT FOLDER --workers 4 --batch-size 8 [--amp bf16]

INPUT: video files, frame folders, folders of videos (searched recursively) or path[,label]
CSVs. Writes PREFIX.csv and PREFIX.json (default: a new folder work_dirs/infer/<time>/ per
run; --out DIR/ writes DIR/predictions.*); with --window also PREFIX_<video>_windows.png.
Videos with the same name get their folders in their file names (a_clip, b_clip). Existing
files are replaced only with --force, inputs never; every output is checked before any work.
Unusable inputs and files that could not be written are listed at the end (exit code 1) and
never stop the others. Truncated videos are warned about and flagged (truncated column).
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.deployment import check_window_options, infer_files
from vidreg.utils.argument_types import non_negative_int, positive_float, positive_int


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('model', help='a .pth checkpoint (pytorch) or a .onnx (onnxruntime)')
    parser.add_argument('inputs', nargs='+', metavar='INPUT')
    parser.add_argument('--backend', choices=['pytorch', 'onnxruntime'], default='pytorch')
    parser.add_argument('--config', help='use this config instead of the checkpoint\'s own')
    parser.add_argument('--device', default='cpu', help="pytorch only: 'cpu', 'cuda', ...")
    parser.add_argument('--topk', type=positive_int, default=5)
    parser.add_argument('--out', metavar='PREFIX', help='writes PREFIX.csv and PREFIX.json '
                        '(default: work_dirs/infer/<time>/predictions)')
    parser.add_argument('--force', action='store_true', help='replace existing output files')
    parser.add_argument('--window', type=positive_float, metavar='SECONDS',
                        help='slide the clip over the video: one prediction per window')
    parser.add_argument('--stride', type=positive_float, metavar='SECONDS',
                        help='seconds between windows (default: --window)')
    parser.add_argument('--out-video', metavar='FILE.mp4|FILE.gif',
                        help='write the video with the current prediction drawn on it')
    parser.add_argument('--batch-size', type=positive_int, default=1,
                        help='pytorch: videos per forward pass (same predictions)')
    parser.add_argument('--workers', type=non_negative_int, default=0,
                        help='pytorch: processes that read the videos (0: this one)')
    parser.add_argument('--amp', choices=['bf16', 'fp16'],
                        help='pytorch: autocast the network (bf16 also on CPUs; fp16: GPUs)')
    args = parser.parse_args(argv)
    try:
        check_window_options(args.window, args.stride, args.backend)
    except ValueError as error:
        parser.error(str(error))
    if args.backend == 'onnxruntime' and (args.amp or args.workers or args.batch_size > 1):
        parser.error('--amp, --workers and --batch-size need the pytorch backend')
    if args.window is not None and (args.workers or args.batch_size > 1):
        parser.error('--workers and --batch-size batch whole videos; with --window the '
                     'windows of each video are batched already')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    return infer_files(args.model, args.inputs, backend=args.backend, config=args.config,
                       device=args.device, topk=args.topk, out=args.out, force=args.force,
                       window=args.window, stride=args.stride, out_video=args.out_video,
                       batch_size=args.batch_size, workers=args.workers, amp=args.amp)


if __name__ == '__main__':
    sys.exit(main())
