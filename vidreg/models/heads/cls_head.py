"""Classification head: emits logits; cross-entropy applies the softmax."""
from typing import List, Optional, Union

import torch
from torch import Tensor, nn

from vidreg.registry import MODELS
from vidreg.structures import VideoDataSample

from .base_head import BaseHead


@MODELS.register_module()
class ClsHead(BaseHead):
    """``(B, E) -> (B, K)`` logits over ``num_classes``.

    Args:
        in_channels: Embedding size E (injected by the Recognizer).
        num_classes: Number of classes K.
        dropout: Dropout probability before the linear layer.
        loss: Loss config (default ``CrossEntropyLoss``).
        loss_name: Key of the loss in the losses dict (see :class:`BaseHead`).
    """

    task = 'classification'

    def __init__(self, *, in_channels: int, num_classes: int, dropout: float = 0.0,
                 loss: Union[dict, nn.Module, None] = None, loss_name: str = 'loss_cls') -> None:
        super().__init__(in_channels=in_channels, out_channels=num_classes, dropout=dropout,
                         loss=loss or dict(type='CrossEntropyLoss'), loss_name=loss_name)
        self.num_classes = num_classes

    def targets(self, data_samples: List, device: torch.device) -> Tensor:
        """Class indices (B,) int64, or soft targets (B, K) float32 when every sample has a
        ``gt_score`` (a mixed batch, :class:`~vidreg.models.data_preprocessors.MixUpCutMix`)."""
        if data_samples and all('gt_score' in s for s in data_samples):
            return torch.stack([s.gt_score for s in data_samples]).to(device)
        return torch.stack([s.gt_label.reshape(()) for s in data_samples]).to(device)

    def activate(self, outputs: Tensor) -> Tensor:
        """Logits (B, K) -> probabilities (B, K)."""
        return outputs.softmax(dim=1)

    def pack(self, values: Tensor, data_samples: Optional[List]) -> List:
        """Sets ``pred_score`` (K,) and ``pred_label`` () on each sample."""
        data_samples = data_samples or [VideoDataSample() for _ in range(len(values))]
        for sample, score in zip(data_samples, values):
            sample.pred_score = score.detach()
            sample.pred_label = score.argmax().detach()
        return data_samples
