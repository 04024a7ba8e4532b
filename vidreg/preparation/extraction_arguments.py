"""The command line that ``tools/extract_frames.py``, ``tools/extract_flow.py`` and
``tools/prepare_videos.py`` share."""
import argparse
from typing import List, Optional

__all__ = ['extraction_parser', 'preparation_parser', 'parse_extraction_args']

_POSITIVE = ('fps', 'num_frames', 'short_side', 'workers', 'bound', 'gop')
_RANGES = {'quality': (1, 100), 'crf': (0, 51), 'qscale': (1, 31)}


def _input_parser(description: str, output_help: str) -> argparse.ArgumentParser:
    """INPUT and OUTPUT (the options every tool ends with are added by :func:`_add_run_args`)."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('input', help='a folder of videos (searched recursively), a CSV, or one '
                        'video')
    parser.add_argument('output', help=output_help)
    return parser


def _add_run_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--workers', type=int, default=1, help='parallel processes')
    parser.add_argument('--root', help='CSV input: folder that relative paths resolve against; '
                        'also the root mirrored under OUTPUT')
    parser.add_argument('--overwrite', action='store_true', help='redo finished videos too')
    parser.add_argument('--allow-truncated', action='store_true',
                        help='exit 0 when the only problems are truncated videos (still listed)')


def extraction_parser(description: str, uniform: bool = True) -> argparse.ArgumentParser:
    """The options of both extraction tools (``uniform``: also ``--num-frames``, frames spread
    evenly)."""
    parser = _input_parser(description, 'root of the frame folders')
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
    _add_run_args(parser)
    return parser


def preparation_parser(description: str) -> argparse.ArgumentParser:
    """The options of ``tools/prepare_videos.py``."""
    parser = _input_parser(description, 'root of the copies (same relative paths and names)')
    parser.add_argument('--short-side', type=int, metavar='PX',
                        help='shrink so the shorter side is PX pixels (even, e.g. 128); '
                        'smaller videos keep their size')
    parser.add_argument('--gop', type=int, default=16, metavar='N',
                        help='frames from one keyframe to the next')
    parser.add_argument('--codec', choices=['auto', 'libx264', 'mpeg4'], default='auto',
                        help='auto: MPEG-4 Part 2 (fastest to decode), H.264 in .flv; '
                        'libx264: smaller copies (not in .avi)')
    parser.add_argument('--crf', type=int, default=18,
                        help='H.264 quality: constant rate factor 0-51, lower is better')
    parser.add_argument('--qscale', type=int, default=3,
                        help='MPEG-4 quality: quantiser 1-31, lower is better')
    _add_run_args(parser)
    return parser


def parse_extraction_args(parser: argparse.ArgumentParser,
                          argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse ``argv``; a number that must be positive (``--fps``, ``--bound``, ...) and is not,
    a quality outside its range (``--quality`` 1-100, ``--crf`` 0-51, ``--qscale`` 1-31) or
    an odd ``--short-side`` of a video copy is a usage error (exit code 2)."""
    args = parser.parse_args(argv)
    for name in _POSITIVE:
        value = getattr(args, name, None)
        if value is not None and value <= 0:
            parser.error(f'--{name.replace("_", "-")} must be > 0')
    for name, (low, high) in _RANGES.items():
        value = getattr(args, name, None)
        if value is not None and not low <= value <= high:
            parser.error(f'--{name} must be in {low}-{high}')
    if hasattr(args, 'codec') and args.short_side is not None and args.short_side % 2:
        parser.error('--short-side must be even for a video (its colour covers 2 x 2 pixels)')
    return args
