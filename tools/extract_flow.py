"""Extract optical flow images (x_00001.jpg, y_00001.jpg, ...) for every video, with OpenCV.

    python tools/extract_flow.py INPUT OUTPUT [--method dis|farneback] [--preset fast]
        [--bound 20] [--fps R] [--short-side 256] [--quality 95 | --format png] [--workers 4]
        [--root DIR]

The layout of MMAction2's rawframes (and of denseflow's output): one folder per video, the flow
from frame i to i + 1 as two gray JPEGs, x_0000i.jpg and y_0000i.jpg, numbered from 1. Values are
quantised as vidreg's flow images (vidreg/pipeline/flow.py: clipped to +-bound pixels,
127.5 = no motion), at the stored size (after --short-side, resized as vidreg's Resize does): the
flow OpticalFlow computes while the data loads (exactly with the lossless --format png; JPEG moves
some levels). No denseflow or OpenCV-contrib needed: DIS and Farneback are in the plain
opencv-python wheel. INPUT is a folder (its tree of videos is mirrored under OUTPUT, the folders
OpenVideo(video_root=INPUT, mirror_root=OUTPUT) finds again) or a CSV with a ``path`` column.
OUTPUT may be extract_frames.py's (MMAction2's rawframes layout: img_, x_ and y_ in one folder).
Interrupt and rerun at will: finished videos are skipped, half-written ones redone. Truncated
videos are listed and recorded (``.vidreg-flow.json``) as by extract_frames.py. Exit code 1 if
any video failed or is truncated (``--allow-truncated``: only failures); 2 for bad input.
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.preparation import extract_flow, extraction_parser, parse_extraction_args


def main(argv=None) -> int:
    parser = extraction_parser(__doc__, uniform=False)
    parser.add_argument('--method', choices=['dis', 'farneback'], default='dis',
                        help='OpenCV DIS (fast, presets) or Farneback')
    parser.add_argument('--preset', choices=['ultrafast', 'fast', 'medium'], default='fast',
                        help='DIS preset')
    parser.add_argument('--bound', type=float, default=20.0,
                        help='largest flow magnitude kept, in pixels (TV-L1 extractions use 20)')
    args = parse_extraction_args(parser, argv)
    return extract_flow(args.input, args.output, method=args.method, preset=args.preset,
                        bound=args.bound, fps=args.fps, short_side=args.short_side,
                        quality=args.quality, image_format=args.format,
                        overwrite=args.overwrite, workers=args.workers, root=args.root,
                        allow_truncated=args.allow_truncated)


if __name__ == '__main__':
    run_cli(main)
