"""Clip-to-video aggregation shared by the metrics: rows that share a ``path`` are one video."""
from typing import Sequence

import numpy as np
import torch

__all__ = ['average_per_video', 'sample_prediction', 'sample_values', 'video_key']


def video_key(data_sample: dict, position: int) -> str:
    """Name the video a result belongs to.

    Args:
        data_sample: One data sample as a dict (metainfo ``path`` and ``sample_idx`` optional).
        position: Running index of the result, used when the sample names neither.

    Returns:
        ``path`` when present, else a key that is unique per ``sample_idx`` (or per result).
    """
    path = data_sample.get('path')
    if path is not None:
        return str(path)
    return f"<sample {data_sample.get('sample_idx', f'#{position}')}>"


def sample_values(data_sample: dict, key: str, metric: str) -> np.ndarray:
    """A sample's ``key`` (``pred_score``, ``pred_value``, ``gt_label``) as a float64 ``(K,)``
    array on the CPU.

    Raises:
        KeyError: The sample lacks ``key`` (the message names ``metric`` and the keys it has).
    """
    if key not in data_sample:
        raise KeyError(f'{metric} needs {key} in each data sample (got keys {sorted(data_sample)})')
    return torch.as_tensor(data_sample[key]).detach().cpu().double().reshape(-1).numpy()


def sample_prediction(data_sample: dict, metric: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The task, prediction and truth of one sample, as float64 arrays on the CPU.

    Args:
        data_sample: One data sample as a dict, with ``gt_label`` and ``pred_score``
            (classification) or ``pred_value`` (regression).
        metric: The metric's name, for the error.

    Returns:
        ``('classification', scores (K,), label (1,))`` or
        ``('regression', values (K,), targets (K,))``.

    Raises:
        KeyError: The sample has neither prediction (the keys it has are listed).
    """
    if 'pred_score' in data_sample:
        task, key = 'classification', 'pred_score'
    elif 'pred_value' in data_sample:
        task, key = 'regression', 'pred_value'
    else:
        raise KeyError(f'{metric} needs pred_score or pred_value in each data sample '
                       f'(got keys {sorted(data_sample)})')
    return (task, sample_values(data_sample, key, metric),
            sample_values(data_sample, 'gt_label', metric))


def average_per_video(keys: Sequence[str], values: np.ndarray,
                      labels: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Average the predictions of the rows (clips) that share a key (a video).

    Args:
        keys: Video key per row, length N.
        values: Predictions, (N, K): class scores or regression values.
        labels: Ground truth, (N,) class indices or (N, K) targets; all rows of a video must agree.

    Returns:
        The M unique keys in order of first appearance, the mean values (M, K) and the labels
        (M,) or (M, K).

    Raises:
        ValueError: If the clips of one video carry different labels.
    """
    unique, first, inverse = np.unique(np.asarray(keys, dtype=object).astype(str),
                                       return_index=True, return_inverse=True)
    sums = np.zeros((len(unique), values.shape[1]), dtype=np.float64)
    np.add.at(sums, inverse, values)
    means = sums / np.bincount(inverse, minlength=len(unique))[:, None]
    video_labels = labels[first]
    same = video_labels[inverse] == labels
    if same.ndim > 1:
        same = same.all(axis=1)
    if not same.all():
        bad = str(unique[inverse[np.flatnonzero(~same)[0]]])
        raise ValueError(f'the clips of video {bad!r} have different ground-truth labels')
    order = np.argsort(first, kind='stable')
    return [str(key) for key in unique[order]], means[order], video_labels[order]
