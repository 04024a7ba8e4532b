"""The per-video record that travels beside the clip tensor."""
from typing import Sequence, Union

import numpy as np
import torch
from mmengine.structures import BaseDataElement

LabelLike = Union[int, float, Sequence[float], np.ndarray, torch.Tensor]


def to_label_tensor(label: LabelLike, task: str) -> torch.Tensor:
    """Convert a label to the tensor the heads expect.

    Args:
        label: An integer class, a float target, or a sequence of float targets.
        task: ``'classification'`` (returns a 0-d ``int64`` tensor),
            ``'regression'`` (returns a ``(K,)`` ``float32`` tensor) or ``'multilabel'``
            (``label`` is a multi-hot sequence of K 0/1 values; returns ``(K,)`` ``float32``).
    """
    if task == 'classification':
        return torch.as_tensor(int(label), dtype=torch.int64)
    if task in ('regression', 'multilabel'):
        return torch.as_tensor(np.asarray(label, dtype=np.float32).reshape(-1))
    raise ValueError(f"task must be 'classification', 'regression' or 'multilabel', got {task!r}")


class VideoDataSample(BaseDataElement):
    """Ground truth, predictions and metainfo of one video.

    Metainfo keys set by the datasets: ``path`` (video file or frame folder),
    ``sample_idx`` (row index in the dataset), ``num_views`` (clips x crops).

    Data fields:
        gt_label: 0-d int64 class index, ``(K,)`` float32 regression target, or ``(K,)``
            float32 multi-hot classes (multi-label: 1 where the class is present).
        gt_score: ``(K,)`` float32 soft target of a classification sample (class
            probabilities, set by MixUp/CutMix), used by the loss instead of ``gt_label``.
        pred_score: ``(K,)`` class probabilities (classification: softmax; multi-label:
            one sigmoid per class), averaged over views.
        pred_label: 0-d int64 predicted class (classification); ``(K,)`` int64 0/1, the
            classes whose score reaches ``pred_threshold`` (multi-label).
        pred_threshold: 0-d float32, the head's decision threshold (multi-label).
        pred_value: ``(K,)`` predicted targets (regression), averaged over views.
    """

    def set_gt_label(self, label: LabelLike, task: str) -> 'VideoDataSample':
        self.gt_label = to_label_tensor(label, task)
        return self
