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
        task: ``'classification'`` (returns a 0-d ``int64`` tensor) or
            ``'regression'`` (returns a ``(K,)`` ``float32`` tensor).
    """
    if task == 'classification':
        return torch.as_tensor(int(label), dtype=torch.int64)
    if task == 'regression':
        return torch.as_tensor(np.asarray(label, dtype=np.float32).reshape(-1))
    raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")


class VideoDataSample(BaseDataElement):
    """Ground truth, predictions and metainfo of one video.

    Metainfo keys set by the datasets: ``path`` (video file or frame folder),
    ``sample_idx`` (row index in the dataset), ``num_views`` (clips x crops).

    Data fields:
        gt_label: 0-d int64 class index, or ``(K,)`` float32 regression target.
        gt_score: ``(K,)`` float32 soft target of a classification sample (class
            probabilities, set by MixUp/CutMix), used by the loss instead of ``gt_label``.
        pred_score: ``(K,)`` class probabilities (classification), averaged over views.
        pred_label: 0-d int64 predicted class (classification).
        pred_value: ``(K,)`` predicted targets (regression), averaged over views.
    """

    def set_gt_label(self, label: LabelLike, task: str) -> 'VideoDataSample':
        self.gt_label = to_label_tensor(label, task)
        return self
