"""Regression head: emits numbers, optionally squashed into an ordinal range."""
from typing import List, Optional, Sequence, Union

import torch
from torch import Tensor, nn

from vidreg.registry import MODELS
from vidreg.structures import VideoDataSample

from .base_head import BaseHead


@MODELS.register_module()
class RegHead(BaseHead):
    """``(B, E) -> (B, K)`` predicted targets.

    Args:
        in_channels: Embedding size E (injected by the Recognizer).
        num_outputs: Number of regression targets K.
        dropout: Dropout probability before the linear layer.
        loss: Loss config (default ``MSELoss``; also ``L1Loss``, ``SmoothL1Loss``).
        output_range: ``(low, high)`` maps outputs through a sigmoid into this range,
            e.g. ``(0, 3)`` for DAiSEE's ordinal levels. ``None`` leaves them unbounded.
        loss_name: Key of the loss in the losses dict (see :class:`BaseHead`).
    """

    task = 'regression'

    def __init__(self, *, in_channels: int, num_outputs: int = 1, dropout: float = 0.0,
                 loss: Union[dict, nn.Module, None] = None,
                 output_range: Optional[Sequence[float]] = None,
                 loss_name: str = 'loss_reg') -> None:
        super().__init__(in_channels=in_channels, out_channels=num_outputs, dropout=dropout,
                         loss=loss or dict(type='MSELoss'), loss_name=loss_name)
        if output_range is not None and not output_range[0] < output_range[1]:
            raise ValueError(
                f'output_range must be (low, high) with low < high, got {output_range}')
        self.num_outputs = num_outputs
        self.output_range = None if output_range is None else tuple(map(float, output_range))

    def forward(self, x: Tensor) -> Tensor:
        """Args: x (B, E). Returns predicted targets (B, K)."""
        out = super().forward(x)
        if self.output_range is not None:
            low, high = self.output_range
            out = low + (high - low) * torch.sigmoid(out)
        return out

    def targets(self, data_samples: List, device: torch.device) -> Tensor:
        """Returns targets (B, K) float32."""
        target = torch.stack([s.gt_label.reshape(-1).float() for s in data_samples]).to(device)
        if target.shape[1] != self.num_outputs:
            raise ValueError(f'Labels have {target.shape[1]} values but the head has '
                             f'num_outputs={self.num_outputs}.')
        return target

    def activate(self, outputs: Tensor) -> Tensor:
        return outputs

    def pack(self, values: Tensor, data_samples: Optional[List]) -> List:
        """Sets ``pred_value`` (K,) on each sample."""
        data_samples = data_samples or [VideoDataSample() for _ in range(len(values))]
        for sample, value in zip(data_samples, values):
            sample.pred_value = value.detach()
        return data_samples
