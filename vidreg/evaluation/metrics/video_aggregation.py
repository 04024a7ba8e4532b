"""Clip-to-video aggregation shared by the metrics: rows that share a ``path`` are one video."""
from typing import Sequence

import numpy as np

__all__ = ['average_per_video', 'video_key']


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
