"""Time a config's data pipeline (decode, sample, transforms, collate) in one process, one thread.

What is counted: a *clip* is one temporal clip (``num_clips`` per video, as MMAction2 counts
its test pipeline), a *view* is one clip x crop (what the model sees), a *video* is one sample.
A training sample is one clip and one view. Each sample is also batched alone with
``video_collate`` (the one copy of its frames into a batch), so the time is all the work a
DataLoader worker does per sample. ``tools/benchmark_data.py`` is the command line;
``benchmarks/benchmark_vs_mmaction2.py`` reuses the pieces.
"""
import itertools
import os.path as osp
import statistics
import time
from typing import Literal, Optional, Sequence, Union

import cv2
import torch
from rich.console import Console
from rich.table import Table
from torch.utils.data import DataLoader, Dataset

from vidreg.config import ConfigError, load_config
from vidreg.datasets import video_collate
from vidreg.pipeline import Compose, DecodeFrames, OpenVideo
from vidreg.registry import DATASETS
from vidreg.utils import register_all_modules
from vidreg.utils.loader_worker_init import LoaderWorkerInit

__all__ = ['BACKENDS', 'benchmark_data', 'with_backend', 'load_samples', 'measure',
           'measure_loader', 'run_transforms']

BACKENDS = ('auto', 'pyav', 'opencv', 'frames')


def reader_for(backend: str, configured: dict) -> dict:
    """The reader config that ``--backend NAME`` stands for.

    ``auto`` and ``frames`` keep the options the configured ``auto_video_reader``
    gives its readers (``folder_reader``, ``file_reader``), e.g. the reduced JPEG
    decoding of ``configs/_base_/datasets/clip16x4_csv.py``.
    """
    kinds = {key: configured[key] for key in ('folder_reader', 'file_reader')
             if configured.get(key) is not None}
    if backend == 'auto':
        return dict(type='auto_video_reader', **kinds)
    if backend == 'frames':
        return kinds.get('folder_reader', dict(type='FrameFolderReader'))
    return dict(type='PyAVReader', num_threads=1) if backend == 'pyav' else dict(
        type='OpenCVReader')


def with_backend(pipeline: list, backend: str) -> list:
    """A copy of the pipeline config whose ``OpenVideo`` steps of the video use ``backend``'s
    reader (a second reader of the sample, e.g. flow images, keeps its own)."""
    steps = [dict(step) for step in pipeline]
    opens = [step for step in steps if step.get('type') == 'OpenVideo'
             and step.get('reader_key', 'video_reader') == 'video_reader']
    if not opens:
        raise ConfigError('--backend needs an OpenVideo step in the pipeline.')
    for step in opens:
        step['reader'] = reader_for(backend, dict(step.get('reader') or {}))
    return steps


def load_samples(cfg, split: str, videos) -> list:
    """Rows for the pipeline: the given files, or the split's dataset rows."""
    dataset_cfg = cfg[f'{split}_dataloader']['dataset']
    test_mode = bool(dataset_cfg.get('test_mode', False))
    if videos:
        for path in videos:
            if not osp.exists(path):
                raise ConfigError(f'--videos: {path!r} does not exist.')
        return [dict(filename=osp.abspath(path), label=0, task='classification', sample_idx=i,
                     test_mode=test_mode) for i, path in enumerate(videos)]
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[]))
    if len(dataset) == 0:
        raise ConfigError(f'The {split} dataset of the config is empty; pass --videos FILE.')
    return [dataset.get_data_info(i) for i in range(len(dataset))]


def measure(pipeline: Compose, samples: list, num: int, warmup: int,
            clock=time.perf_counter) -> dict:
    """Run ``num`` samples through the pipeline and ``video_collate``, timed with ``clock``.

    Returns:
        ``videos``, ``clips``, ``views``, ``seconds`` (total) and ``decode_seconds``
        (in ``OpenVideo`` and ``DecodeFrames``).
    """
    stats = dict(videos=0, clips=0, views=0, seconds=0.0, decode_seconds=0.0)
    for count, sample in enumerate(itertools.islice(itertools.cycle(samples), warmup + num)):
        results, timed, num_clips = dict(sample), count >= warmup, 1
        for transform in pipeline.steps:
            start = clock()
            results = transform(results)
            elapsed = clock() - start
            if results is None:
                raise RuntimeError(f'{transform!r} dropped {sample["filename"]!r}.')
            num_clips = results.get('num_clips', num_clips)
            if timed:
                stats['seconds'] += elapsed
                if isinstance(transform, (OpenVideo, DecodeFrames)):
                    stats['decode_seconds'] += elapsed
        start = clock()
        video_collate([results])
        if timed:
            stats['seconds'] += clock() - start
            stats['videos'] += 1
            stats['clips'] += num_clips
            inputs = results.get('inputs')  # {name: (V, T, C, H, W)}: V for every modality
            stats['views'] += (next(iter(inputs.values())).shape[0] if inputs is not None
                               else num_clips)
    return stats


def run_transforms(transforms, results: dict) -> tuple[dict, int]:
    """Apply ``transforms`` in turn; return the output and the number of temporal clips."""
    num_clips = 1
    for transform in transforms:
        results = transform(results)
        num_clips = results.get('num_clips', num_clips)  # the packing steps drop the key
    return results, num_clips


class PipelineSamples(Dataset):
    """``num`` samples cycling over ``samples``, each run through ``pipeline`` where it is read."""

    def __init__(self, pipeline: Compose, samples: list, num: int) -> None:
        self.pipeline, self.samples, self.num = pipeline, samples, num

    def __len__(self) -> int:
        return self.num

    def __getitem__(self, index: int) -> dict:
        return self.pipeline(dict(self.samples[index % len(self.samples)]))


def measure_loader(pipeline: Compose, samples: list, num: int, workers: int,
                   batch_size: int) -> dict:
    """Wall time of ``num`` samples through a DataLoader with ``workers`` processes.

    The first batch (worker start-up) is not timed. Returns ``videos``,
    ``clips``, ``views`` and ``seconds``, as :func:`measure`.
    """
    # Every sample has the same clips and views.
    probe, num_clips = run_transforms(pipeline.steps, dict(samples[0]))
    num_views = next(iter(probe['inputs'].values())).shape[0]  # V, shared by the modalities
    dataset = PipelineSamples(pipeline, samples, num + batch_size)
    loader = DataLoader(dataset, batch_size=batch_size, num_workers=workers,
                        collate_fn=video_collate,
                        worker_init_fn=LoaderWorkerInit())
    stats = dict(videos=0, clips=0, views=0, seconds=0.0, decode_seconds=float('nan'))
    start = None
    for batch in loader:
        if start is None:  # the first batch waits for the workers to start
            start = time.perf_counter()
            continue
        videos = len(batch['data_samples'])
        stats['videos'] += videos
        stats['views'] += videos * num_views
        stats['clips'] += videos * num_clips
    stats['seconds'] = time.perf_counter() - start
    return stats


def benchmark_data(config: str, *, split: Literal['train', 'val', 'test'] = 'train',
                   videos: Optional[Sequence[str]] = None,
                   backends: Optional[Sequence[str]] = None, num: int = 50, warmup: int = 1,
                   clock: Literal['wall', 'cpu'] = 'wall',
                   workers: Union[int, Sequence[int]] = 0, batch_size: int = 8,
                   repeat: int = 1, cfg_options: Optional[dict] = None,
                   console: Optional[Console] = None) -> float:
    """Time the split's pipeline per reader backend; print a table and ``clips/s: X``.

    Runs on one thread (torch and OpenCV); pin the process to one core for figures
    comparable with MMAction2's (``taskset -c 0``).

    Args:
        config: The config, e.g. ``configs/bench_clip16x4.py``.
        split: Whose dataloader's pipeline to run (val/test run in test mode).
        videos: Video files or frame folders to use instead of the config's data.
        backends: ``OpenVideo`` readers to measure (:data:`BACKENDS`), one table row each;
            default: the configured one.
        num: Samples (videos) to time per backend, cycling over the videos.
        warmup: Untimed samples first.
        clock: ``'cpu'`` counts this process's CPU time: steadier on a busy machine.
        workers: > 0: time a real DataLoader with this many worker processes instead (wall
            clock, batches collated into shared memory), to choose ``num_workers``; several
            counts (``[1, 2]``) give a row each, with its speed-up over the first.
            Each worker computes on one thread
            (:class:`~vidreg.utils.loader_worker_init.LoaderWorkerInit`).
        batch_size: The batch size with ``workers``.
        repeat: Rounds per backend; each round measures every worker count once, in turn
            (interleaved, so a machine that slows down for a while slows every count alike).
            A row shows the round of median clips/s and the range over the rounds: one
            short run on a shared or virtual machine varies by +-10 %.
        cfg_options: Config overrides, as ``--cfg-options`` gives them.
        console: Where the table goes (default: the terminal).

    Returns:
        Clips per second of the first backend measured.

    Raises:
        ConfigError: A video does not exist, the split's rows are clip samples of the
            config's own videos (with ``videos``), its dataset is empty, or the pipeline has
            no ``OpenVideo`` to swap the reader of.
    """
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    register_all_modules()
    cfg = load_config(config, dict(cfg_options or {}))
    samples = load_samples(cfg, split, videos)
    pipeline_cfg = list(cfg[f'{split}_dataloader']['dataset']['pipeline'])
    configured = next(((step.get('reader') or {}).get('type', 'auto_video_reader')
                       for step in pipeline_cfg if step.get('type') == 'OpenVideo'), None)
    counts = [workers] if isinstance(workers, int) else list(workers)
    loader = any(count > 0 for count in counts)
    if repeat < 1:
        raise ConfigError(f'repeat must be at least 1, got {repeat}.')
    how = (f'DataLoader, {"/".join(map(str, counts))} workers, batch {batch_size}, wall clock'
           if loader else f'1 thread, {clock} clock')
    how += f', median of {repeat} interleaved rounds' if repeat > 1 else ''
    table = Table(title=f'{osp.basename(config)} {split} pipeline, {len(samples)} video(s), '
                        f'{num} samples per backend, {how}')
    columns = ('backend', *(('workers',) if loader else ()), 'clips/s',
               *(('range',) if repeat > 1 else ()), 'ms/clip', 'videos/s',
               'views/s', 'speed-up' if loader else 'decode share')
    for column in columns:
        table.add_column(column, justify='left' if column == 'backend' else 'right')
    first_rate = None
    for backend in backends or [None]:  # None: the configured reader
        steps = pipeline_cfg if backend is None else with_backend(pipeline_cfg, backend)
        rounds = {count: [] for count in counts}
        for _ in range(repeat):
            for count in counts:
                rounds[count].append(
                    measure_loader(Compose(steps), samples, num, count, batch_size) if count > 0
                    else measure(Compose(steps), samples, num, warmup,
                                 time.process_time if clock == 'cpu' else time.perf_counter))
        backend_rate = None
        for count in counts:
            rates = [stats['clips'] / stats['seconds'] for stats in rounds[count]]
            rate = statistics.median_low(rates)
            stats = rounds[count][rates.index(rate)]
            seconds = stats['seconds']
            first_rate = rate if first_rate is None else first_rate
            backend_rate = rate if backend_rate is None else backend_rate
            last = (f'{rate / backend_rate:.2f}x' if loader else
                    f'{100 * stats["decode_seconds"] / seconds:.0f} %')
            table.add_row(str(backend or configured), *((str(count),) if loader else ()),
                          f'{rate:.1f}', *((f'{min(rates):.1f}-{max(rates):.1f}',)
                                           if repeat > 1 else ()),
                          f'{1e3 * seconds / stats["clips"]:.2f}',
                          f'{stats["videos"] / seconds:.2f}', f'{stats["views"] / seconds:.1f}',
                          last)
    console = console or Console()
    console.print(table)
    console.print('clip = one temporal clip (num_clips per video); view = clip x crop; ' + (
        'speed-up = clips/s over the first worker count.' if loader else
        'decode share = time in OpenVideo + DecodeFrames.') + (
        ' range = lowest-highest clips/s of the rounds.' if repeat > 1 else ''), highlight=False)
    print(f'clips/s: {first_rate:.2f}')
    return first_rate
