"""Open every sample of the datasets of a config and report each bad one.

    python tools/check_data.py CONFIG [--split train|val|test|all]

Rows are checked as the dataset checks them (missing file, bad label), then every sample
runs through the configured pipeline up to and including ``DecodeFrames`` (undecodable,
too short for one clip). Every problem is listed in one table naming the file and the
reason; the exit code is 1 if there is any, 0 otherwise.
"""
import argparse
import os.path as osp
import re
import sys
import warnings
from typing import List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from vidreg.config import load_config  # noqa: E402
from vidreg.datasets import BaseVideoDataset, DatasetError  # noqa: E402
from vidreg.datasets.decoders import VideoReadError  # noqa: E402
from vidreg.engine.entrypoint import run_cli  # noqa: E402
from vidreg.registry import DATASETS  # noqa: E402
from vidreg.utils import register_all_modules  # noqa: E402

Problem = Tuple[str, str, str]  # (split, file or row, reason)
_SKIP_WARNING = re.compile(r'^\w+: skipping (.+?): (.+)$', re.S)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='a training config')
    parser.add_argument('--split', choices=['train', 'val', 'test', 'all'], default='all',
                        help='which dataloader(s) to check')
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


def decoding_transforms(dataset: BaseVideoDataset) -> list:
    """The pipeline up to and including the last ``DecodeFrames`` (all of it if none)."""
    transforms = list(dataset.pipeline.transforms)
    names = [type(t).__name__ for t in transforms]
    return transforms[:len(names) - names[::-1].index('DecodeFrames')] \
        if 'DecodeFrames' in names else transforms


def check_sample(transforms: list, info: dict) -> Optional[str]:
    """Why sample ``info`` is bad, or ``None``."""
    results = info
    try:
        for transform in transforms:
            results = transform(results)
            if results is None:
                return f'{type(transform).__name__} returned None'
    except VideoReadError as error:
        return f'cannot decode: {error.reason}'
    except Exception as error:  # a bad sample may break any transform; report, don't stop
        return f'{type(error).__name__}: {error}'
    total, num_frames = results.get('total_frames'), results.get('num_frames')
    if total is not None and num_frames is not None and int(total) < int(num_frames):
        return (f'too short: {int(total)} frames, the pipeline takes {int(num_frames)} per clip '
                f'(the missing ones would be padded)')
    return None


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    splits = ['train', 'val', 'test'] if args.split == 'all' else [args.split]
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
        transforms = decoding_transforms(dataset)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f'{split}: opening {len(dataset)} samples', total=len(dataset))
            for i in range(len(dataset)):
                info = dataset.get_data_info(i)
                reason = check_sample(transforms, info)
                if reason:
                    problems.append((split, info['filename'], reason))
                progress.advance(task)
        checked += len(dataset)
    if not problems:
        console.print(f'[green]All {checked} samples of {", ".join(splits)} are usable.[/]')
        return
    table = Table(title=f'{len(problems)} bad samples ({checked} usable rows opened)')
    for column in ('split', 'file', 'reason'):
        table.add_column(column, overflow='fold')
    for row in problems:
        table.add_row(*row)
    console.print(table)
    sys.exit(1)


if __name__ == '__main__':
    run_cli(main)
