"""Predict many videos through a DataLoader: the test pipeline runs in worker processes, and
the network takes several videos per forward pass (``tools/infer.py --workers --batch-size``)."""
import os
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import torch
from torch.utils.data import DataLoader, Dataset

from vidreg.structures import VideoDataSample
from vidreg.utils.loader_worker_init import LoaderWorkerInit

from .inference import Amp, _pipeline, _predict
from .test_time_pipeline import TestTimePipeline

__all__ = ['inference_batches']

# (input index, its packed sample or None, the error text or None)
Loaded = Tuple[int, Optional[dict], Optional[str]]


def _error_text(error: BaseException) -> str:
    return f'{type(error).__name__}: {error}'


class _TestTimeSamples(Dataset):
    """The test pipeline's packed sample of each video; a video that fails gives its error
    text instead, so one bad file never stops the loader."""

    def __init__(self, pipeline: TestTimePipeline, videos: Sequence[str]) -> None:
        self.pipeline, self.videos = pipeline, list(videos)

    def __len__(self) -> int:
        return len(self.videos)

    def __getitem__(self, index: int) -> Loaded:
        try:
            return index, self.pipeline(self.pipeline.open(self.videos[index])), None
        except Exception as error:  # reported with its video; the others go on
            return index, None, _error_text(error)


def _predict_batch(model: torch.nn.Module, loaded: List[Loaded], amp: Amp
                   ) -> Iterator[Tuple[int, Union[VideoDataSample, str]]]:
    """Predict a batch's good samples in one pass, in input order; if the pass fails, each
    sample alone, so only the video that breaks the network is blamed."""
    good = [(index, sample) for index, sample, _ in loaded if sample is not None]
    try:
        predicted = dict(zip([i for i, _ in good], _predict(model, [s for _, s in good], amp)))
    except Exception:
        predicted = {}
        for index, sample in good:
            try:
                predicted[index] = _predict(model, [sample], amp)[0]
            except Exception as error:
                predicted[index] = _error_text(error)
    for index, _, error in loaded:
        yield index, predicted[index] if error is None else error


def inference_batches(model: torch.nn.Module, videos: Sequence[Union[str, os.PathLike]], *,
                      batch_size: int = 1, workers: int = 0, amp: Amp = None
                      ) -> Iterator[Tuple[int, Union[VideoDataSample, str]]]:
    """Predict whole videos, ``batch_size`` per forward pass, read by ``workers`` processes.

    The predictions are those of :func:`vidreg.apis.inference` one video at a time: the same
    test pipeline, and the network in eval mode treats the videos of a batch independently
    (their views are averaged per video). Every video of a batch must give inputs of one
    shape, which a config's test pipeline does (fixed clips, crops and size).

    Args:
        model: From :func:`vidreg.apis.init_model`.
        videos: Video files or frame folders.
        batch_size: Videos per forward pass.
        workers: DataLoader worker processes that decode and transform (0: this process);
            each computes on one thread (``LoaderWorkerInit``).
        amp: Autocast the network: ``'bf16'`` or ``'fp16'``.

    Yields:
        ``(index in videos, data sample)``, or ``(index, error text)`` for a video that could
        not be read or predicted, in input order.
    """
    if batch_size < 1 or workers < 0:
        raise ValueError(f'batch_size must be >= 1 and workers >= 0, got {batch_size} and '
                         f'{workers}')
    loader = DataLoader(_TestTimeSamples(_pipeline(model), [os.fspath(v) for v in videos]),
                        batch_size=batch_size, num_workers=workers, collate_fn=list,
                        worker_init_fn=LoaderWorkerInit() if workers else None)
    for loaded in loader:
        yield from _predict_batch(model, loaded, amp)
