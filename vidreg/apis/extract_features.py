"""Per-video (or per-window) embeddings of a trained model, for other models to use
(``tools/extract_features.py``)."""
import os.path as osp
import time
from dataclasses import dataclass, field
from functools import partial
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from rich.console import Console
from torch import Tensor

from vidreg.config import ConfigError
from vidreg.datasets.video_collate import video_collate
from vidreg.deployment.input_list import collect_inputs
from vidreg.fileio import OutputFile, atomic_path, check_output_files
from vidreg.utils.progress_bar import counting_progress

from .inference import run_windows
from .init_model import init_model
from .test_time_pipeline import TestTimePipeline

__all__ = ['Features', 'embed_samples', 'extract_feature_file', 'extract_features',
           'resolve_stage', 'save_features']

EMBEDDING = 'embedding'  # the stage name stored for the temporal module's output


@dataclass
class Features:
    """What :func:`extract_features` returns (and :func:`save_features` stores).

    Attributes:
        features: One pooled embedding per video or window, (N, E) float32.
        paths: The video of each row, N strings.
        starts: Start of each row's window in seconds, (N,), or ``None`` without windows.
        ends: End of each row's window in seconds, (N,), or ``None``.
        stage: Where the embedding was taken: ``'embedding'`` (the temporal module's output,
            what the head reads) or a backbone stage name (``'layer3'``).
        bad: ``(input, reason)`` per input that was skipped.
    """

    features: np.ndarray
    paths: List[str]
    starts: Optional[np.ndarray] = None
    ends: Optional[np.ndarray] = None
    stage: str = EMBEDDING
    bad: List[Tuple[str, str]] = field(default_factory=list)


def resolve_stage(model: torch.nn.Module, stage: Union[int, str, None]) -> Optional[str]:
    """The backbone stage named by ``stage`` (its index in ``stage_names`` or its name).

    Returns:
        ``None`` for ``stage=None`` (the temporal module's embedding), else the stage's name.

    Raises:
        ConfigError: The model has no staged backbone, or no such stage (the message lists
            the stages).
    """
    if stage is None:
        return None
    names = list(getattr(getattr(model, 'backbone', None), 'stage_names', None) or [])
    if not names:
        raise ConfigError(f'--stage needs a model with a staged backbone (ResNet2D, VideoResNet, '
                          f'ResNet3D, C3D); {type(model).__name__} has none: leave --stage out '
                          f'for the embedding the head reads.')
    if isinstance(stage, str) and stage.isdigit():
        stage = int(stage)
    if isinstance(stage, int) and 0 <= stage < len(names):
        return names[stage]
    if stage in names:
        return stage
    listed = ', '.join(f'{i} {name}' for i, name in enumerate(names))
    raise ConfigError(f'--stage {stage}: {type(model.backbone).__name__} has the stages '
                      f'{listed}; give an index or a name.')


@torch.no_grad()
def embed_samples(model: torch.nn.Module, samples: List[dict],
                  stage: Optional[str] = None) -> Tensor:
    """One pooled embedding per packed sample, its views averaged.

    Args:
        model: From :func:`vidreg.apis.init_model` (eval mode).
        samples: B samples packed by the model's test pipeline.
        stage: ``None``: the temporal module's output (the head's input), as
            ``mode='tensor'`` computes it; a backbone stage name: that stage's maps averaged
            over time and space.

    Returns:
        Embeddings (B, E) float32 on the CPU.
    """
    inputs = model.data_preprocessor(video_collate(samples), False)['inputs']
    if stage is None:
        feats, num_views = model.embed_views(inputs)  # (B * V, E)
    else:
        clips, num_views = model.fold_views(inputs)  # {name: (B * V, C, T, H, W)}
        maps = model.backbone.forward_between(model.select_input(clips), until=stage)
        feats = maps.mean(dim=(2, 3, 4))  # (B * V, D_s, T_s, H_s, W_s) -> (B * V, D_s)
    return model.average_views(feats, num_views).float().cpu()  # (B, E)


def _video_rows(model, pipeline: TestTimePipeline, path: str, stage: Optional[str],
                window: Optional[float], stride: Optional[float], batch_size: int) -> list:
    """``(start, end, embedding (E,))`` rows of one video: one, or one per window."""
    reader = pipeline.open(path)
    try:
        if window is None:
            return [(None, None, embed_samples(model, [pipeline(reader)], stage)[0])]
        run = partial(embed_samples, model, stage=stage)
        return [(start, end, vector) for start, end, _, vector in run_windows(
            pipeline, reader, run, window=window, stride=stride or window,
            batch_size=batch_size)]
    finally:
        reader.close()


def extract_features(model: torch.nn.Module, inputs: Sequence[str], *,
                     stage: Union[int, str, None] = None, window: Optional[float] = None,
                     stride: Optional[float] = None, batch_size: int = 4,
                     console: Optional[Console] = None) -> Features:
    """Pooled embeddings of videos through the model's test pipeline.

    Each video goes through the same steps as ``tools/test.py`` (its sampled clips and
    crops are the views, averaged). With ``window`` the pipeline slides over the video as
    ``tools/infer.py --window`` does, decoding only the frames of ``batch_size`` windows at a
    time, so memory does not grow with the video's length. An input that cannot be read
    (missing, not a video, no frame rate for windows, ...) is skipped and listed in
    ``bad``; the others go on.

    Args:
        model: From :func:`vidreg.apis.init_model`.
        inputs: Video files, frame folders, folders of videos (searched recursively) or CSV
            lists, as ``tools/infer.py`` takes them.
        stage: ``None`` (the embedding the head reads, (E,)), or a backbone stage index or
            name: that stage's maps averaged over time and space, (D_s,).
        window: Window length in seconds (one row per window); ``None``: one row per video.
        stride: Seconds between windows (default ``window``).
        batch_size: Windows per forward pass.
        console: Where the progress bar draws (default: the terminal).

    Returns:
        The rows in input order, and the skipped inputs.
    """
    stage_name = resolve_stage(model, stage)
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    found = collect_inputs(inputs)
    rows, paths, bad = [], [], list(found.bad)
    with counting_progress(console, label='[bold]features[/] {task.description}') as progress:
        task = progress.add_task('', total=len(found.items))
        for path, _ in found.items:
            progress.update(task, description=osp.basename(path))
            try:
                video_rows = _video_rows(model, pipeline, path, stage_name, window, stride,
                                         batch_size)
            except Exception as error:  # any failure names the input and moves on
                bad.append((path, f'{type(error).__name__}: {error}'))
                video_rows = []
            rows.extend(video_rows)
            paths.extend([path] * len(video_rows))
            progress.advance(task)
    result = Features(features=np.zeros((0, 0), np.float32), paths=paths,
                      stage=stage_name or EMBEDDING, bad=bad)
    if rows:
        result.features = torch.stack([row[2] for row in rows]).numpy()  # (N, E)
    if window is not None:
        result.starts = np.array([row[0] for row in rows], dtype=np.float64)  # (N,)
        result.ends = np.array([row[1] for row in rows], dtype=np.float64)  # (N,)
    return result


def save_features(features: Features, out: str) -> None:
    """Write ``out`` (``.npz``) atomically: ``features`` (N, E) float32, ``paths`` (N,),
    ``stage``, with windows ``start``/``end`` (N,) seconds, and ``bad_inputs`` /
    ``bad_reasons`` (M,) for the skipped inputs. Strings are stored as NumPy unicode arrays,
    so ``np.load(out)`` needs no pickle."""
    arrays = dict(features=features.features, paths=np.array(features.paths, dtype=str),
                  stage=np.array(features.stage),
                  bad_inputs=np.array([b[0] for b in features.bad], dtype=str),
                  bad_reasons=np.array([b[1] for b in features.bad], dtype=str))
    if features.starts is not None:
        arrays.update(start=features.starts, end=features.ends)
    with atomic_path(out) as tmp, open(tmp, 'wb') as f:
        np.savez(f, **arrays)


def extract_feature_file(checkpoint: str, inputs: Sequence[str], out: str, *,
                         stage: Union[int, str, None] = None, window: Optional[float] = None,
                         stride: Optional[float] = None, config: Optional[str] = None,
                         device: str = 'cpu', batch_size: int = 4, force: bool = False,
                         console: Optional[Console] = None) -> int:
    """What ``tools/extract_features.py`` does: check ``out``, load the model, extract, save.

    ``out`` is checked before any work (never an input, an existing file only with
    ``force``), the model comes from ``checkpoint`` (:func:`vidreg.apis.init_model`), the
    rows from :func:`extract_features` and the file from :func:`save_features`. Prints the
    shape, the time per row and the skipped inputs, one per line.

    Returns:
        The exit code: 0, or 1 when an input was skipped (the others are saved).
    """
    check_output_files([OutputFile(out, '--out', 'features.npz')],
                       inputs=[checkpoint, config, *inputs], force=force)
    console = console or Console()
    model = init_model(checkpoint, config=config, device=device)
    start = time.perf_counter()
    features = extract_features(model, inputs, stage=stage, window=window, stride=stride,
                                batch_size=batch_size, console=console)
    seconds = time.perf_counter() - start
    save_features(features, out)
    rows = len(features.features)
    kind = 'windows' if window is not None else 'videos'
    console.print(f'{out}: features {tuple(features.features.shape)} ({features.stage}) of '
                  f'{rows} {kind}, {seconds / max(rows, 1):.3f} s each', highlight=False,
                  soft_wrap=True)
    for path, reason in features.bad:
        console.print(f'skipped {path}: {reason}', highlight=False, soft_wrap=True)
    if features.bad:
        console.print(f'{len(features.bad)} input(s) skipped (listed in bad_inputs of {out})',
                      highlight=False)
    return 1 if features.bad else 0
