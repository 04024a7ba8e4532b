"""Predict one video with a model from :func:`init_model`, as ``tools/test.py`` would."""
import os
from typing import Iterator, List, Tuple, Union

import numpy as np
import torch

from vidreg.datasets.video_collate import video_collate
from vidreg.deployment import Prediction
from vidreg.pipeline.decoders import WindowReader
from vidreg.structures import VideoDataSample

from .test_time_pipeline import TestTimePipeline

__all__ = ['inference', 'inference_windows', 'window_starts', 'to_prediction']

VideoSource = Union[str, os.PathLike, np.ndarray]


def _pipeline(model: torch.nn.Module) -> TestTimePipeline:
    return TestTimePipeline(model.cfg, model.dataset_meta['task'])


@torch.no_grad()
def _predict(model: torch.nn.Module, samples: List[dict]) -> List[VideoDataSample]:
    """``model.test_step`` on packed samples: the view averaging of ``mode='predict'``."""
    predictions = model.test_step(video_collate(samples))
    classes = model.dataset_meta.get('classes')
    for prediction in predictions:
        prediction.set_metainfo(dict(task=model.dataset_meta['task']))
        if classes is not None:
            prediction.set_metainfo(dict(classes=classes))
    return predictions


def inference(model: torch.nn.Module, video_or_frames: VideoSource) -> VideoDataSample:
    """Predict a whole video through the test pipeline of the model's config.

    Args:
        model: From :func:`vidreg.apis.init_model` (has ``cfg`` and ``dataset_meta``).
        video_or_frames: A video file, a frame folder, or uint8 RGB frames
            ``(N, H, W, 3)``.

    Returns:
        The data sample: ``pred_score`` (K,) probabilities and ``pred_label`` for
        classification, ``pred_value`` (K,) for regression; metainfo ``path``,
        ``task``, ``num_views`` and ``classes`` (the names of the K scores).
    """
    pipeline = _pipeline(model)
    return _predict(model, [pipeline(pipeline.open(video_or_frames))])[0]


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


def inference_windows(model: torch.nn.Module, video: Union[str, os.PathLike], *,
                      window: float, stride: float, batch_size: int = 4
                      ) -> Iterator[Tuple[float, float, VideoDataSample]]:
    """Slide the model's test pipeline over a video: one prediction per window.

    Each window is handed to the test pipeline as a video of its own
    (:class:`WindowReader`), so the clip(s) are sampled inside it exactly as for
    a short video. Only the frames the sampler picks are decoded, a batch of
    windows at a time: memory does not grow with the video's length.

    Args:
        model: From :func:`init_model`.
        video: A video file or frame folder with a known frame rate.
        window: Window length in seconds.
        stride: Seconds between window starts.
        batch_size: Windows per forward pass.

    A truncated video (it ends before the frame count in its header; the reader finds the
    real end when a read meets it, as :class:`~vidreg.pipeline.DecodeFrames`
    reports it in training) has its windows cut at the real end: a window that starts past
    it is left out, and the windows from the one that met it on carry the metainfo
    ``truncated_frames`` ``(header count, real count)``.

    Yields:
        ``(start_seconds, end_seconds, data_sample)`` in time order.
    """
    pipeline = _pipeline(model)
    reader = pipeline.open(video)
    try:
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
            predictions = _predict(model, samples)
            real = reader.total_frames  # lowered by the reads if the video ended early
            for window_reader, prediction in zip(windows, predictions):
                if window_reader.start >= real:
                    continue  # all of it past the real end: only copies of the last frame
                if real < header_frames:
                    prediction.set_metainfo(dict(truncated_frames=(header_frames, real)))
                end = min(window_reader.start + window_reader.total_frames, real)
                yield window_reader.start / fps, end / fps, prediction
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
    threshold = sample.get('pred_threshold')
    if threshold is not None:  # a multi-label head's
        fields.setdefault('threshold', float(threshold))
    return Prediction.of(values.cpu().double().numpy(), path=sample.path, task=sample.task,
                         classes=sample.get('classes'),
                         truncated=None if truncated is None else tuple(truncated), **fields)
