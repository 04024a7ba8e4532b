"""Check every sample of a config's datasets completely: each bad one with its reason.

Bad rows as the dataset finds them, files listed with two labels, then every file opened once
with the configured readers (the video's, and a second one such as its flow images) and every
frame of each decoded (a corrupt frame or a broken tail is found whichever frames a sampler
would draw), the pipeline run up to ``DecodeFrames`` with a seed per
sample, truncated videos, and frame or flow folders whose extraction record says they are
incomplete. In parallel, the same verdict every run. ``tools/check_data.py`` is the command line.
"""
import random
import re
import warnings
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from rich.console import Console
from rich.table import Table
from torch.utils.data import DataLoader, Dataset

from vidreg.config import load_config
from vidreg.datasets import BaseVideoDataset, DatasetError
from vidreg.engine.runner.vidreg_runner import default_num_workers
from vidreg.pipeline import OpenVideo
from vidreg.pipeline.decoders import (
    BaseVideoReader,
    FlowFolderReader,
    FrameFolderReader,
    VideoReadError,
)
from vidreg.preparation.extraction_record import folder_problem, truncation_text
from vidreg.registry import DATASETS
from vidreg.utils import register_all_modules
from vidreg.utils.loader_worker_init import LoaderWorkerInit
from vidreg.utils.progress_bar import counting_progress

__all__ = ['Problem', 'check_data', 'check_samples', 'check_sample', 'label_conflicts']

SPLITS = ('train', 'val', 'test')
Problem = Tuple[str, str, str]  # (split, file or row, reason)
_SKIP_WARNING = re.compile(r'^\w+: skipping (.+?): (.+)$', re.S)


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


def open_readers(transforms: list, info: dict) -> List[BaseVideoReader]:
    """Every reader the pipeline opens for sample ``info`` (the video's, then e.g. its flow
    images'): the steps up to the last ``OpenVideo`` run, or, without one, those up to the
    first step that leaves a reader."""
    openers = [i for i, transform in enumerate(transforms) if isinstance(transform, OpenVideo)]
    results = dict(info)
    for index, transform in enumerate(transforms):
        results = transform(results)
        readers = [value for value in results.values() if isinstance(value, BaseVideoReader)]
        if readers and (not openers or index >= openers[-1]):
            return readers
    return []


def decode_every_frame(transforms: list, info: dict) -> List[Tuple[str, int, int, Optional[str]]]:
    """Open the sample's readers with the pipeline's openers and decode every frame of each.

    Returns:
        ``(path, header count, real count, problem its extraction record names)`` per reader,
        the video's first; ``[]`` if no step opens a reader.
    """
    readers = open_readers(transforms, info)
    try:
        return [(reader.path, reader.total_frames, reader.decode_all(), recorded_problem(reader))
                for reader in readers]
    finally:
        for reader in readers:
            reader.close()


def check_sample(transforms: list, info: dict, seed: int) -> Optional[str]:
    """Why sample ``info`` is bad, or ``None``; the same answer every time."""
    try:
        decoded = decode_every_frame(transforms, info)
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
    for path, header, real, recorded in decoded:
        where = '' if path == info.get('filename') else f' ({path})'
        if real < header:
            return (f'truncated: {truncation_text(header, real)} (clips reaching past frame '
                    f'{real} would repeat it){where}')
        if recorded:
            return recorded + where
    total = (decoded[0][2] if decoded else 0) or results.get('total_frames')
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
                        worker_init_fn=LoaderWorkerInit())  # end with this process
    reasons = iter(loader)  # the workers start here, before the progress bar's thread
    bad = []
    with counting_progress(console, transient=True) as progress:
        task = progress.add_task(f'{split}: decoding {len(checks)} files', total=len(checks))
        for position, reason in enumerate(reasons):
            if reason:
                bad.append((dataset.get_data_info(checks.indices[position])['filename'], reason))
            progress.advance(task)
    return bad


def check_data(config: str, *, splits: Sequence[str] = SPLITS, workers: Optional[int] = None,
               cfg_options: Optional[dict] = None,
               console: Optional[Console] = None) -> List[Problem]:
    """Check every sample of the config's dataloaders; print the verdict (a table of problems).

    Args:
        config: A training config.
        splits: Whose dataloaders to check (``'train'``, ``'val'``, ``'test'``); a dataset
            that two splits share (``test_dataloader = val_dataloader``) is checked once.
        workers: DataLoader worker processes decoding in parallel; 0 decodes in this process
            (default: one per CPU core available, at most 4).
        cfg_options: Config overrides, as ``--cfg-options`` gives them.
        console: Where the progress and the verdict go (default: the terminal).

    Returns:
        Every problem found, as ``(split, file or row, reason)``, in dataset order.
    """
    register_all_modules()
    cfg = load_config(config, dict(cfg_options or {}))
    workers = default_num_workers() if workers is None else workers
    console = console or Console()
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
        return problems
    table = Table(title=f'{len(problems)} problems ({checked} usable rows opened, every frame '
                        f'decoded)')
    for column in ('split', 'file', 'reason'):
        table.add_column(column, overflow='fold')
    for row in problems:
        table.add_row(*row)
    console.print(table)
    return problems
