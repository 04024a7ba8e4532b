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
import argparse
import os.path as osp
import sys
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from functools import partial
from typing import Callable, Iterator

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

from vidreg.datasets import DatasetError  # noqa: E402
from vidreg.datasets.frame_extraction import (  # noqa: E402
    VIDEO_EXTENSIONS,
    ExtractJob,
    ExtractResult,
    extract_video,
    find_videos,
    plan_jobs,
    read_video_list,
)
from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.utils import print_error  # noqa: E402
from vidreg.utils.parent_watch import worker_pool  # noqa: E402


def build_parser(description: str, uniform: bool = True) -> argparse.ArgumentParser:
    """The options shared by extract_frames.py and extract_flow.py (``uniform``: --num-frames)."""
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


def plan(args: argparse.Namespace) -> list[ExtractJob]:
    """The jobs for ``args.input`` (a folder, a CSV or a video) and ``args.output``.

    Raises:
        FileNotFoundError: The input does not exist.
        DatasetError: The input is not a usable CSV, lists no video, or the output is a file.
    """
    if not osp.exists(args.input):
        raise FileNotFoundError(f'{args.input} does not exist: give a folder of videos or a CSV '
                                f'with a "path" column.')
    if osp.exists(args.output) and not osp.isdir(args.output):
        raise DatasetError(f'the output {args.output} is a file: give a folder (created if '
                           f'missing).')
    if osp.isdir(args.input):
        root, videos = args.input, find_videos(args.input)
        where = f'{args.input} holds no video (searched for {", ".join(VIDEO_EXTENSIONS)})'
    elif osp.splitext(args.input)[1].lower() in VIDEO_EXTENSIONS:  # one video
        root, videos, where = osp.dirname(osp.abspath(args.input)), [args.input], ''
    else:
        root = args.root or osp.dirname(osp.abspath(args.input))
        videos = read_video_list(args.input, root)
        where = f'{args.input} lists no video'
    if not videos:
        raise DatasetError(f'{where}: nothing to extract.')
    return plan_jobs(videos, root, args.output)


def _results(jobs: list[ExtractJob], work: Callable[[ExtractJob], ExtractResult],
             workers: int) -> Iterator[ExtractResult]:
    """``work`` of every job, in this process or ``workers`` processes (in completion order)."""
    if workers == 1:
        for job in jobs:
            yield work(job)
        return
    pool = worker_pool(workers)  # its workers end with this process, even on kill -9
    try:
        for future in as_completed([pool.submit(work, job) for job in jobs]):
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run(args: argparse.Namespace, work: Callable[[ExtractJob], ExtractResult],
        what: str = 'frames') -> int:
    """Run ``work`` on every video of ``args.input`` (in ``args.workers`` processes) under a
    progress bar; print the counts, the failures and the truncated videos. Returns the exit
    code (130 when interrupted)."""
    console = Console()
    jobs = plan(args)
    results: list[ExtractResult] = []
    columns = (TextColumn('[bold]extract'), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console) as progress, \
                closing(_results(jobs, work, args.workers)) as finished:
            task = progress.add_task('videos', total=len(jobs))
            for result in finished:
                results.append(result)
                progress.advance(task)
    except (KeyboardInterrupt, BrokenProcessPool) as error:
        why = ('interrupted' if isinstance(error, KeyboardInterrupt) else
               'a worker process died (killed by the system: out of memory? try fewer --workers)')
        print_error(f'{why} after {len(results)} of {len(jobs)} videos; run the same command '
                    f'again to resume (finished videos are skipped, half-written ones redone).')
        return 130 if isinstance(error, KeyboardInterrupt) else 1
    return report(console, results, what, osp.abspath(args.output), args.allow_truncated)


def report(console: Console, results: list[ExtractResult], what: str, output: str,
           allow_truncated: bool = False) -> int:
    """Print the counts, a table of the failed videos and one of the truncated ones; return the
    exit code: 1 if any failed or (unless ``allow_truncated``) is truncated, else 0."""
    counts = {status: sum(r.status == status for r in results)
              for status in ('done', 'skipped', 'failed')}
    frames = sum(r.num_frames for r in results if r.status == 'done')
    truncated = sorted((r for r in results if r.truncated and r.status != 'failed'),
                       key=lambda r: r.video)
    console.print(f'{counts["done"]} extracted ({frames} {what}), {counts["skipped"]} already '
                  f'done, {counts["failed"]} failed, {len(truncated)} truncated; {what} in '
                  f'{output}', highlight=False)
    failed = sorted((r for r in results if r.status == 'failed'), key=lambda r: r.video)
    if failed:
        table = Table(title='Failed videos (rerun to retry)', show_lines=False)
        table.add_column('video', overflow='fold')
        table.add_column('reason', overflow='fold')
        for result in failed:
            table.add_row(result.video, result.error)
        console.print(table)
    if truncated:
        table = Table(title='Truncated videos (their header promises more frames than decode)',
                      caption=f'their folders hold the {what} of the part that decodes; '
                      f're-encode or replace them and rerun with --overwrite' +
                      ('' if allow_truncated else ', or accept them with --allow-truncated'))
        for column in ('video', 'header frames', 'decoded frames', what, 'this run'):
            table.add_column(column, overflow='fold', justify='left' if column == 'video'
                             else 'right')
        for result in truncated:
            table.add_row(result.video, str(result.header_frames), str(result.decoded_frames),
                          str(result.num_frames),
                          'extracted' if result.status == 'done' else 'already done')
        console.print(table)
    return 1 if failed or (truncated and not allow_truncated) else 0


if __name__ == '__main__':
    run_cli(lambda argv: sys.exit(main(argv)))
