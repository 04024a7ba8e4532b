"""Open every sample of the datasets of a config completely and report each bad one.

    python tools/check_data.py CONFIG [--split train|val|test|all] [--workers N]

Rows are checked as the dataset checks them (missing file, bad label), and a file listed
with two different labels is a conflict. Then every file is opened once (a dataset whose
sampler makes every clip a sample, ``EveryClipSampleFrames``, has a row per clip) with the
configured reader and every frame its header promises is decoded (so a corrupt frame image or a
broken tail is found whichever frames a sampler would draw), and the configured pipeline
runs up to and including ``DecodeFrames`` with a fixed seed per sample (undecodable, too
short for one clip). Samples are checked in parallel; the verdict is the same every run.
Every problem is listed in one table naming the file and the reason; truncated videos
(fewer frames than their header says: clips would repeat the last one) are problems too, and
so are frame or flow folders that ``tools/extract_frames.py`` / ``extract_flow.py`` extracted
from a truncated video, or left unfinished, as their extraction record says.
The exit code is 1 if there is any problem, 0 otherwise.
"""
import argparse
import os.path as osp
import random
import re
import sys
import warnings
from typing import List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
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
from torch.utils.data import DataLoader, Dataset  # noqa: E402

from vidreg.config import load_config  # noqa: E402
from vidreg.datasets import BaseVideoDataset, DatasetError  # noqa: E402
from vidreg.datasets.extraction_record import folder_problem, truncation_text  # noqa: E402
from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.engine.runner.vidreg_runner import default_num_workers  # noqa: E402
from vidreg.pipeline.decoders import (  # noqa: E402
    BaseVideoReader,
    FlowFolderReader,
    FrameFolderReader,
    VideoReadError,
)
from vidreg.registry import DATASETS  # noqa: E402
from vidreg.utils import register_all_modules  # noqa: E402
from vidreg.utils.parent_watch import ParentWatchInit  # noqa: E402

Problem = Tuple[str, str, str]  # (split, file or row, reason)
_SKIP_WARNING = re.compile(r'^\w+: skipping (.+?): (.+)$', re.S)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='a training config')
    parser.add_argument('--split', choices=['train', 'val', 'test', 'all'], default='all',
                        help='which dataloader(s) to check')
    parser.add_argument('--workers', type=int, default=None,
                        help='DataLoader worker processes decoding in parallel; 0 decodes in '
                        'this process (default: one per CPU core available, at most 4)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='NAME=VALUE', help='override config values, as in train.py')
    return parser.parse_args(argv)


def build_dataset(cfg: dict, split: str, problems: List[Problem]) -> Optional[BaseVideoDataset]:
    """Build with bad rows skipped (not fatal) and record each of them as a problem."""
    cfg = dict(cfg)
    dataset_cls = DATASETS.get(cfg['type']) if isinstance(cfg.get('type'), str) else None
    if isinstance(dataset_cls, type) and issubclass(dataset_cls, BaseVideoDataset):
        cfg['on_bad_sample'] = 'warn_skip'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            dataset = DATASETS.build(cfg)
        except DatasetError as error:
            dataset = None
            problems.append((split, '(dataset)', str(error)))
    for warning in caught:
        match = _SKIP_WARNING.match(str(warning.message))
        if match:
            problems.append((split, *match.groups()))
    return dataset


def label_conflicts(dataset: BaseVideoDataset) -> List[Tuple[str, str]]:
    """``(file, reason)`` for each file listed more than once with different labels."""
    labels: dict = {}
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        label = info['label']
        labels.setdefault(info['filename'], []).append(
            tuple(label) if isinstance(label, (list, tuple)) else label)
    return [(file, f'listed {len(found)} times with different labels '
                   f'{sorted(set(found), key=repr)}: one file cannot have two labels')
            for file, found in labels.items() if len(set(found)) > 1]


def decoding_transforms(dataset: BaseVideoDataset) -> list:
    """The pipeline up to and including the last ``DecodeFrames`` (all of it if none)."""
    transforms = list(dataset.pipeline.steps)
    names = [type(t).__name__ for t in transforms]
    return transforms[:len(names) - names[::-1].index('DecodeFrames')] \
        if 'DecodeFrames' in names else transforms


def recorded_problem(reader: BaseVideoReader) -> Optional[str]:
    """What the extraction record of a frame or flow folder says is wrong with it (a folder
    extracted from a truncated video, an interrupted extraction, missing images), or ``None``."""
    if isinstance(reader, FlowFolderReader):
        return folder_problem(reader.path, 'flow')
    if isinstance(reader, FrameFolderReader):
        return folder_problem(reader.path, 'frames')
    return None


def decode_every_frame(transforms: list, info: dict) -> Tuple[int, int, Optional[str]]:
    """Open the video with the pipeline's opener and decode every frame of it.

    Returns:
        ``(header count, real count, problem its extraction record names)``; ``(0, 0, None)``
        if no step opens a reader.
    """
    results = dict(info)
    for transform in transforms:
        results = transform(results)
        reader = results.get('video_reader') if isinstance(results, dict) else None
        if reader is not None:
            try:
                header = reader.total_frames
                return header, reader.decode_all(), recorded_problem(reader)
            finally:
                reader.close()
    return 0, 0, None


def check_sample(transforms: list, info: dict, seed: int) -> Optional[str]:
    """Why sample ``info`` is bad, or ``None``; the same answer every time."""
    try:
        header, real, recorded = decode_every_frame(transforms, info)
        np.random.seed(seed)
        random.seed(seed)
        results = dict(info)
        for transform in transforms:
            results = transform(results)
            if results is None:
                return f'{type(transform).__name__} returned None'
    except VideoReadError as error:
        where = '' if error.path == info.get('filename') else f' ({error.path})'
        return f'cannot decode: {error.reason}{where}'
    except Exception as error:  # a bad sample may break any transform; report, don't stop
        return f'{type(error).__name__}: {error}'
    if real < header:
        return (f'truncated: {truncation_text(header, real)} (clips reaching past frame {real} '
                f'would repeat it)')
    if recorded:
        return recorded
    total = real or results.get('total_frames')
    num_frames = results.get('num_frames')
    if total is not None and num_frames is not None and int(total) < int(num_frames):
        return (f'too short: {int(total)} frames, the pipeline takes {int(num_frames)} per clip '
                f'(the missing ones would be padded)')
    return None


class SampleChecks(Dataset):
    """Item ``i`` is :func:`check_sample` of the first sample of the ``i``-th distinct file: a
    DataLoader runs the checks in parallel worker processes, as it loads data for training.

    Each file is decoded once, however many samples it has (``EveryClipSampleFrames`` makes
    one per clip; decoding every frame of the video covers them all)."""

    def __init__(self, dataset: BaseVideoDataset) -> None:
        self.dataset, self.transforms = dataset, decoding_transforms(dataset)
        first: dict = {}
        for i in range(len(dataset)):
            first.setdefault(dataset.get_data_info(i)['filename'], i)
        self.indices = list(first.values())  # dataset index of each file's first sample

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, position: int) -> Optional[str]:
        index = self.indices[position]
        return check_sample(self.transforms, self.dataset.get_data_info(index), seed=index)


def check_samples(dataset: BaseVideoDataset, workers: int, console: Console,
                  split: str) -> List[Tuple[str, str]]:
    """``(file, reason)`` of each bad sample, in dataset order, checked by ``workers``."""
    if workers > 0:
        # As mmengine does before forking DataLoader workers (mp_cfg opencv_num_threads=0):
        # a child inheriting OpenCV's thread pool would hang in its first resize.
        cv2.setNumThreads(0)
    checks = SampleChecks(dataset)
    loader = DataLoader(checks, batch_size=None, num_workers=max(workers, 0),
                        worker_init_fn=ParentWatchInit())  # workers end with this process
    reasons = iter(loader)  # the workers start here, before the progress bar's thread
    bad = []
    with Progress(TextColumn('{task.description}'), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task(f'{split}: decoding {len(checks)} files', total=len(checks))
        for position, reason in enumerate(reasons):
            if reason:
                bad.append((dataset.get_data_info(checks.indices[position])['filename'], reason))
            progress.advance(task)
    return bad


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    splits = ['train', 'val', 'test'] if args.split == 'all' else [args.split]
    workers = default_num_workers() if args.workers is None else args.workers
    console = Console()
    problems: List[Problem] = []
    checked, seen = 0, []
    for split in splits:
        loader = cfg.get(f'{split}_dataloader')
        if not loader or 'dataset' not in loader:
            console.print(f'[yellow]{split}: no {split}_dataloader.dataset in the config[/]')
            continue
        dataset_cfg = loader['dataset'].to_dict() if hasattr(loader['dataset'], 'to_dict') \
            else dict(loader['dataset'])
        if dataset_cfg in seen:  # e.g. test_dataloader = val_dataloader
            continue
        seen.append(dataset_cfg)
        dataset = build_dataset(dataset_cfg, split, problems)
        if dataset is None:
            continue
        problems += [(split, file, reason) for file, reason in label_conflicts(dataset)]
        problems += [(split, file, reason)
                     for file, reason in check_samples(dataset, workers, console, split)]
        checked += len(dataset)
    if not problems:
        console.print(f'[green]All {checked} samples of {", ".join(splits)} are usable.[/]')
        return
    table = Table(title=f'{len(problems)} problems ({checked} usable rows opened, every frame '
                        f'decoded)')
    for column in ('split', 'file', 'reason'):
        table.add_column(column, overflow='fold')
    for row in problems:
        table.add_row(*row)
    console.print(table)
    sys.exit(1)


if __name__ == '__main__':
    run_cli(main)
