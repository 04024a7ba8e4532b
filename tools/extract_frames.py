"""Extract video frames to folders of JPEGs (img_00001.jpg, ...) that vidreg reads as videos.

    python tools/extract_frames.py INPUT OUTPUT [--fps R | --num-frames N] [--short-side 128]
        [--quality 95 | --format png] [--workers 4] [--root DIR]

INPUT is a folder (its tree of videos is mirrored under OUTPUT, one folder per video) or a
CSV with a ``path`` column (relative paths resolve against --root, default the CSV's folder).
Interrupt and rerun at will: finished videos are skipped, half-written ones redone. Exit code 1
if any video failed (listed in a table at the end).
"""
import argparse
import os.path as osp
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial
from typing import Callable

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rich.console import Console  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table  # noqa: E402

from vidreg.datasets.frame_extraction import (  # noqa: E402
    ExtractJob,
    ExtractResult,
    extract_video,
    find_videos,
    plan_jobs,
    read_video_list,
)


def build_parser(description: str, uniform: bool = True) -> argparse.ArgumentParser:
    """The options shared by extract_frames.py and extract_flow.py (``uniform``: --num-frames)."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('input', help='a folder of videos (searched recursively) or a CSV')
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
    return parser


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    """Reject non-positive numbers and a JPEG quality outside 1-100."""
    for name in ('fps', 'num_frames', 'short_side', 'workers'):
        value = getattr(args, name, None)
        if value is not None and value <= 0:
            parser.error(f'--{name.replace("_", "-")} must be > 0')
    if not 1 <= args.quality <= 100:
        parser.error('--quality must be in 1-100')
    return args


def parse_args(argv=None) -> argparse.Namespace:
    parser = build_parser(__doc__)
    return check_args(parser, parser.parse_args(argv))


def main(argv=None) -> int:
    args = parse_args(argv)
    return run(args, partial(extract_video, fps=args.fps, num_frames=args.num_frames,
                             short_side=args.short_side, quality=args.quality,
                             overwrite=args.overwrite, image_format=args.format))


def run(args: argparse.Namespace, work: Callable[[ExtractJob], ExtractResult],
        what: str = 'frames') -> int:
    """Run ``work`` on every video of ``args.input`` (in ``args.workers`` processes) under a
    progress bar; print the counts and the failures. Returns the exit code."""
    console = Console()
    if osp.isdir(args.input):
        root, videos = args.input, find_videos(args.input)
    else:
        root = args.root or osp.dirname(osp.abspath(args.input))
        videos = read_video_list(args.input, root)
    jobs = plan_jobs(videos, root, args.output)
    results = []
    columns = (TextColumn('[bold]extract'), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task('videos', total=len(jobs))
        if args.workers == 1:
            for job in jobs:
                results.append(work(job))
                progress.advance(task)
        else:
            with ProcessPoolExecutor(args.workers) as pool:
                for future in as_completed([pool.submit(work, job) for job in jobs]):
                    results.append(future.result())
                    progress.advance(task)

    counts = {status: sum(r.status == status for r in results)
              for status in ('done', 'skipped', 'failed')}
    frames = sum(r.num_frames for r in results if r.status == 'done')
    console.print(f'{counts["done"]} extracted ({frames} {what}), {counts["skipped"]} already '
                  f'done, {counts["failed"]} failed; {what} in {osp.abspath(args.output)}',
                  highlight=False)
    failed = sorted((r for r in results if r.status == 'failed'), key=lambda r: r.video)
    if failed:
        table = Table(title='Failed videos (rerun to retry)', show_lines=False)
        table.add_column('video', overflow='fold')
        table.add_column('reason', overflow='fold')
        for result in failed:
            table.add_row(result.video, result.error)
        console.print(table)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
