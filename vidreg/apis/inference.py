"""Predict one video with a model from :func:`init_model`, as ``tools/test.py`` would."""
import os
from contextlib import nullcontext
from functools import partial
from typing import (
    Callable,
    ContextManager,
    Iterator,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

import numpy as np
import torch

from vidreg.datasets.video_collate import video_collate
from vidreg.deployment import Prediction
from vidreg.pipeline.decoders import BaseVideoReader, WindowReader
from vidreg.structures import VideoDataSample

from .test_time_pipeline import TestTimePipeline

__all__ = ['AMP_DTYPES', 'autocast_for', 'inference', 'inference_windows', 'run_windows',
           'window_starts', 'to_prediction']

T = TypeVar('T')

VideoSource = Union[str, os.PathLike, np.ndarray]
Amp = Optional[Literal['bf16', 'fp16']]
AMP_DTYPES = {'bf16': torch.bfloat16, 'fp16': torch.float16}


def _pipeline(model: torch.nn.Module) -> TestTimePipeline:
    return TestTimePipeline(model.cfg, model.dataset_meta['task'])


def autocast_for(model: torch.nn.Module, amp: Amp = None) -> ContextManager:
    """``torch.autocast`` on the model's device in ``amp``'s precision; a no-op for ``None``.

    bf16 runs on CPUs and recent GPUs; fp16 is meant for GPUs.
    """
    if amp is None:
        return nullcontext()
    if amp not in AMP_DTYPES:
        raise ValueError(f"amp must be one of {', '.join(AMP_DTYPES)} or None, got {amp!r}")
    device = next(model.parameters()).device.type
    return torch.autocast(device_type=device, dtype=AMP_DTYPES[amp])


@torch.no_grad()
def _predict(model: torch.nn.Module, samples: List[dict], amp: Amp = None
             ) -> List[VideoDataSample]:
    """``model.test_step`` on packed samples: the view averaging of ``mode='predict'``."""
    with autocast_for(model, amp):
        predictions = model.test_step(video_collate(samples))
    classes = model.dataset_meta.get('classes')
    for prediction in predictions:
        prediction.set_metainfo(dict(task=model.dataset_meta['task']))
        if classes is not None:
            prediction.set_metainfo(dict(classes=classes))
    return predictions


def inference(model: torch.nn.Module, video_or_frames: VideoSource, *,
              amp: Amp = None) -> VideoDataSample:
    """Predict a whole video through the test pipeline of the model's config.

    Args:
        model: From :func:`vidreg.apis.init_model` (has ``cfg`` and ``dataset_meta``).
        video_or_frames: A video file, a frame folder, or uint8 RGB frames
            ``(N, H, W, 3)``.
        amp: Autocast the network: ``'bf16'`` or ``'fp16'`` (:func:`autocast_for`).

    Returns:
        The data sample: ``pred_score`` (K,) probabilities and ``pred_label`` for
        classification, ``pred_value`` (K,) for regression; metainfo ``path``,
        ``task``, ``num_views`` and ``classes`` (the names of the K scores).
    """
    pipeline = _pipeline(model)
    return _predict(model, [pipeline(pipeline.open(video_or_frames))], amp)[0]


def window_starts(num_frames: int, window: int, stride: float) -> List[int]:
    """First frames of windows of ``window`` frames every ``stride`` frames, covering the video.

    ``stride`` may be fractional (seconds x fps): start ``k`` is ``round(k * stride)``, so
    starts do not drift. The last window ends at the last frame, so the tail is never left out
    (it may overlap its neighbour more than the others do); a video shorter than one window
    gets one window.
    """
    if window <= 0 or stride <= 0:
        raise ValueError(f'window and stride must be > 0 frames, got {window} and {stride}')
    last = max(num_frames - window, 0)
    starts = [round(k * stride) for k in range(int(last / stride) + 1)]
    starts = [s for s in starts if s <= last]
    if starts[-1] != last:
        starts.append(last)
    return starts


def run_windows(pipeline: TestTimePipeline, reader: BaseVideoReader,
                run: Callable[[List[dict]], Sequence[T]], *, window: float, stride: float,
                batch_size: int = 4
                ) -> Iterator[Tuple[float, float, Optional[Tuple[int, int]], T]]:
    """Slide ``pipeline`` over an open video and ``run`` each batch of windows.

    Each window is handed to the test pipeline as a video of its own
    (:class:`WindowReader`), so the clip(s) are sampled inside it exactly as for
    a short video. Only the frames the sampler picks are decoded, ``batch_size`` windows at
    a time: memory does not grow with the video's length.

    A truncated video (it ends before the frame count in its header; the reader finds the
    real end when a read meets it, as :class:`~vidreg.pipeline.DecodeFrames`
    reports it in training) has its windows cut at the real end: a window that starts past
    it is left out, and the windows from the one that met it on carry
    ``(header count, real count)``.

    Args:
        pipeline: The model's test pipeline.
        reader: The open video (a file or frame folder with a known frame rate).
        run: Packed samples of a batch of windows -> one result per window, in order.
        window: Window length in seconds.
        stride: Seconds between window starts.
        batch_size: Windows per call of ``run``.

    Yields:
        ``(start_seconds, end_seconds, truncated_frames or None, result)`` in time order.
    """
    fps = reader.fps
    if not fps:
        raise ValueError(f'{reader.path!r} has no known frame rate, so windows in seconds '
                         f'cannot be placed; set frame_fps on OpenVideo for frame folders.')
    header_frames = reader.total_frames
    size = max(1, round(window * fps))
    starts = window_starts(header_frames, size, max(1.0, stride * fps))
    for first in range(0, len(starts), batch_size):
        batch = [s for s in starts[first:first + batch_size] if s < reader.total_frames]
        if not batch:
            break  # the video ended before its header's count
        windows = [WindowReader(reader, start=s, total_frames=size) for s in batch]
        samples = [pipeline(w, sample_idx=i) for i, w in enumerate(windows)]
        results = run(samples)
        real = reader.total_frames  # lowered by the reads if the video ended early
        for window_reader, result in zip(windows, results):
            if window_reader.start >= real:
                continue  # all of it past the real end: only copies of the last frame
            truncated = (header_frames, real) if real < header_frames else None
            end = min(window_reader.start + window_reader.total_frames, real)
            yield window_reader.start / fps, end / fps, truncated, result


def inference_windows(model: torch.nn.Module, video: Union[str, os.PathLike], *,
                      window: float, stride: float, batch_size: int = 4, amp: Amp = None
                      ) -> Iterator[Tuple[float, float, VideoDataSample]]:
    """Slide the model's test pipeline over a video: one prediction per window
    (:func:`run_windows`; memory does not grow with the video's length).

    Args:
        model: From :func:`init_model`.
        video: A video file or frame folder with a known frame rate.
        window: Window length in seconds.
        stride: Seconds between window starts.
        batch_size: Windows per forward pass.
        amp: Autocast the network: ``'bf16'`` or ``'fp16'`` (:func:`autocast_for`).

    Yields:
        ``(start_seconds, end_seconds, data_sample)`` in time order; the windows of a
        truncated video from the one that met its real end on carry the metainfo
        ``truncated_frames`` ``(header count, real count)``.
    """
    pipeline = _pipeline(model)
    reader = pipeline.open(video)
    try:
        for start, end, truncated, prediction in run_windows(
                pipeline, reader, partial(_predict, model, amp=amp), window=window, stride=stride,
                batch_size=batch_size):
            if truncated is not None:
                prediction.set_metainfo(dict(truncated_frames=truncated))
            yield start, end, prediction
    finally:
        reader.close()


def to_prediction(sample: VideoDataSample, **fields) -> Prediction:
    """A backend-independent :class:`Prediction` of a predicted data sample.

    Args:
        sample: From :func:`inference` or :func:`inference_windows` (its metainfo
            ``truncated_frames``, if any, becomes :attr:`Prediction.truncated`).
        **fields: ``label``, ``start``, ``end`` of :class:`Prediction`.
    """
    values = sample.pred_score if 'pred_score' in sample else sample.pred_value
    truncated = sample.get('truncated_frames')
    return Prediction.of(values.cpu().double().numpy(), path=sample.path, task=sample.task,
                         classes=sample.get('classes'),
                         truncated=None if truncated is None else tuple(truncated), **fields)
