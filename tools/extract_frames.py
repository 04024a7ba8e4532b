"""Extract video frames to folders of JPEGs (img_00001.jpg, ...) that vidreg reads as videos.

    python tools/extract_frames.py INPUT OUTPUT [--fps R | --num-frames N] [--short-side 128]
        [--quality 95 | --format png] [--workers 4] [--root DIR] [--overwrite]
        [--allow-truncated]

INPUT is a folder (its tree of videos is mirrored under OUTPUT, one folder per video), a CSV
with a ``path`` column (relative paths resolve against --root, default the CSV's folder), or
one video (extracted to OUTPUT/<its name>).
Interrupt and rerun at will: finished videos are skipped, half-written ones redone, and ones
extracted with other options named (redo them with --overwrite); worker processes end with the
main one, even when it is killed. A truncated video (its header promises more frames than
decode) is extracted as far as it decodes and listed at the end with both counts, on this run
and every rerun; its folder's record (``.vidreg-frames.json``) keeps the counts for
``tools/check_data.py``. Exit code 1 if any video failed or is truncated (``--allow-truncated``:
only failures), both listed in tables at the end; 2 for bad input; 130 when interrupted.
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.preparation import extract_frames, extraction_parser, parse_extraction_args


def main(argv=None) -> int:
    args = parse_extraction_args(extraction_parser(__doc__), argv)
    return extract_frames(args.input, args.output, fps=args.fps, num_frames=args.num_frames,
                          short_side=args.short_side, quality=args.quality,
                          image_format=args.format, overwrite=args.overwrite,
                          workers=args.workers, root=args.root,
                          allow_truncated=args.allow_truncated)


if __name__ == '__main__':
    run_cli(main)
