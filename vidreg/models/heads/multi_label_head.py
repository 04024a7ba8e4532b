"""Multi-label head: one sigmoid per class; a video may have any number of the K classes."""
from typing import List, Optional, Union

import torch
from torch import Tensor, nn

from vidreg.registry import MODELS
from vidreg.structures import VideoDataSample

from .base_head import BaseHead


@MODELS.register_module()
class MultiLabelHead(BaseHead):
    """``(B, E) -> (B, K)`` logits, one independent yes/no per class.

    The loss (default :class:`~vidreg.models.losses.AsymmetricLoss`, which at its defaults is
    binary cross-entropy; focal and asymmetric settings are its arguments) applies the
    sigmoid. Predictions are the sigmoid probabilities ``pred_score`` (K,), averaged over
    views, and ``pred_label`` (K,) 0/1, the classes whose score reaches ``threshold``.

    ``threshold`` is a buffer, so checkpoints, ``tools/test.py``, inference and the ONNX
    export's metadata carry it: :class:`~vidreg.engine.hooks.MultiLabelThresholdHook` sets it
    after each validation to the threshold that maximises the validation split's F1
    (:class:`~vidreg.evaluation.metrics.MultiLabelMetric`'s ``best_threshold``).

    Args:
        in_channels: Embedding size E (injected by the Recognizer).
        num_classes: Number of classes K.
        dropout: Dropout probability before the linear layer.
        threshold: The decision threshold until validation chooses one, in (0, 1).
        loss: Loss config (default ``AsymmetricLoss``: binary cross-entropy).
        loss_name: Key of the loss in the losses dict (see :class:`BaseHead`).
    """

    task = 'multilabel'

    def __init__(self, *, in_channels: int, num_classes: int, dropout: float = 0.0,
                 threshold: float = 0.5, loss: Union[dict, nn.Module, None] = None,
                 loss_name: str = 'loss_cls') -> None:
        super().__init__(in_channels=in_channels, out_channels=num_classes, dropout=dropout,
                         loss=loss or dict(type='AsymmetricLoss'), loss_name=loss_name)
        self.num_classes = num_classes
        self.register_buffer('threshold', torch.tensor(0.0))  # 0-d
        self.set_threshold(threshold)

    def set_threshold(self, threshold: float) -> None:
        """Set the decision threshold (stored in the checkpoint).

        Raises:
            ValueError: ``threshold`` is not in (0, 1).
        """
        if not 0 < float(threshold) < 1:
            raise ValueError(f'MultiLabelHead: threshold must lie in (0, 1), got {threshold!r}')
        self.threshold.fill_(float(threshold))

    def targets(self, data_samples: List, device: torch.device) -> Tensor:
        """Returns the multi-hot targets (B, K) float32."""
        targets = torch.stack([s.gt_label.reshape(-1).float() for s in data_samples])
        if targets.shape[1] != self.num_classes:
            raise ValueError(f'MultiLabelHead has {self.num_classes} classes but the labels are '
                             f'multi-hot vectors of {targets.shape[1]}; set num_classes to the '
                             f"dataset's.")
        return targets.to(device)

    def activate(self, outputs: Tensor) -> Tensor:
        """Logits (B, K) -> per-class probabilities (B, K)."""
        return outputs.sigmoid()

    def pack(self, values: Tensor, data_samples: Optional[List]) -> List:
        """Sets ``pred_score`` (K,), ``pred_label`` (K,) int64 0/1 and ``pred_threshold`` ()."""
        data_samples = data_samples or [VideoDataSample() for _ in range(len(values))]
        threshold = self.threshold.detach().clone()
        for sample, score in zip(data_samples, values):
            sample.pred_score = score.detach()
            sample.pred_label = (score >= threshold).long().detach()
            sample.pred_threshold = threshold
        return data_samples
