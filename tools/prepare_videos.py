"""Re-encode a dataset's videos for random access: a keyframe every --gop frames, encoded for
fast decoding, optionally smaller.

    python tools/prepare_videos.py INPUT OUTPUT [--short-side 128] [--gop 16]
        [--codec auto|libx264|mpeg4] [--crf 18] [--qscale 3] [--workers 4] [--root DIR]
        [--overwrite] [--allow-truncated]

INPUT is a folder (its tree of videos is copied under OUTPUT), a CSV with a ``path`` column
(relative paths resolve against --root, default the CSV's folder), or one video. Each copy has
the same relative path and file name as its video, extension included, so annotation and split
files stay valid: point data_root at OUTPUT. --codec auto writes MPEG-4 Part 2 (fastest to
decode) wherever the container holds it (.avi, .mp4, .mkv, .mov, ...); --codec libx264 writes
smaller H.264 copies into all but .avi; .webm and .mpg cannot be prepared keeping their name.
Each copy is checked: as many frames as its video decodes (both decoded), a header that says
so, frames that read back right at random positions. Interrupt and rerun at will: finished
copies are skipped, half-written ones redone, and ones made with other options named (redo
them with --overwrite). The summary gives the sizes on disk before and after. Exit code 1 if
any video failed or is truncated (``--allow-truncated``: only failures), both listed in tables
at the end; 2 for bad input; 130 when interrupted. Figures: docs/preparing_videos.md.
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.engine.entrypoint import run_cli
from vidreg.preparation import parse_extraction_args, preparation_parser, prepare_videos


def main(argv=None) -> int:
    args = parse_extraction_args(preparation_parser(__doc__), argv)
    return prepare_videos(args.input, args.output, short_side=args.short_side, gop=args.gop,
                          codec=args.codec, crf=args.crf, qscale=args.qscale,
                          workers=args.workers, root=args.root, overwrite=args.overwrite,
                          allow_truncated=args.allow_truncated)


if __name__ == '__main__':
    run_cli(main)
