"""The command line that ``tools/extract_frames.py`` and ``tools/extract_flow.py`` share."""
import argparse
from typing import List, Optional

__all__ = ['extraction_parser', 'parse_extraction_args']

_POSITIVE = ('fps', 'num_frames', 'short_side', 'workers', 'bound')


def extraction_parser(description: str, uniform: bool = True) -> argparse.ArgumentParser:
    """The options of both tools (``uniform``: also ``--num-frames``, frames spread evenly)."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('input', help='a folder of videos (searched recursively), a CSV, or one '
                        'video')
    parser.add_argument('output', help='root of the frame folders')
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument('--fps', type=float, help='keep frames at this rate (default: every frame)')
    if uniform:
        mode.add_argument('--num-frames', type=int, metavar='N',
                          help='keep N frames spread evenly')
    parser.add_argument('--short-side', type=int, metavar='PX',
                        help='resize so the shorter side is PX pixels (e.g. 128)')
    parser.add_argument('--quality', type=int, default=95, help='JPEG quality, 1-100')
    parser.add_argument('--format', choices=['jpg', 'png'], default='jpg',
                        help='image format: JPEG (small) or PNG (lossless, larger)')
    parser.add_argument('--workers', type=int, default=1, help='parallel processes')
    parser.add_argument('--root', help='CSV input: folder that relative paths resolve against; '
                        'also the root mirrored under OUTPUT')
    parser.add_argument('--overwrite', action='store_true', help='redo finished videos too')
    parser.add_argument('--allow-truncated', action='store_true',
                        help='exit 0 when the only problems are truncated videos (still listed)')
    return parser


def parse_extraction_args(parser: argparse.ArgumentParser,
                          argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv``; a number that must be positive (``--fps``, ``--bound``, ...) and is not,
    or a JPEG quality outside 1-100, is a usage error (exit code 2)."""
    args = parser.parse_args(argv)
    for name in _POSITIVE:
        value = getattr(args, name, None)
        if value is not None and value <= 0:
            parser.error(f'--{name.replace("_", "-")} must be > 0')
    if not 1 <= args.quality <= 100:
        parser.error('--quality must be in 1-100')
    return args
