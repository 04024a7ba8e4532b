"""What classification and regression heads share: dropout, a linear layer, the loss."""
from typing import Dict, List, Optional, Union

import torch
from torch import Tensor, nn

from vidreg.registry import MODELS


class BaseHead(nn.Module):
    """``(B, E) -> (B, K)``: dropout then a linear layer; owns the loss.

    Subclasses define how labels are stacked into a target (:meth:`targets`), how raw
    outputs become the values averaged over views (:meth:`activate`) and how averaged
    values are written into data samples (:meth:`pack`).

    Args:
        in_channels: Embedding size E (injected by the Recognizer).
        out_channels: Number of outputs K.
        dropout: Dropout probability before the linear layer.
        loss: Loss config or module.
    """

    def __init__(self, *, in_channels: int, out_channels: int, dropout: float,
                 loss: Union[dict, nn.Module]) -> None:
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(in_channels, out_channels)
        self.loss_module = MODELS.build(loss) if isinstance(loss, dict) else loss

    def forward(self, x: Tensor) -> Tensor:
        """Args: x, clip embeddings (B, E). Returns raw outputs (B, K)."""
        return self.fc(self.dropout(x))

    def loss(self, x: Tensor, data_samples: List) -> Dict[str, Tensor]:
        """Args: x (B, E); data_samples with ``gt_label``. Returns ``{'loss': scalar}``."""
        outputs = self(x)
        return dict(loss=self.loss_module(outputs, self.targets(data_samples, outputs.device)))

    def targets(self, data_samples: List, device: torch.device) -> Tensor:
        raise NotImplementedError

    def activate(self, outputs: Tensor) -> Tensor:
        """Raw outputs (B, K) -> values averaged over views (B, K)."""
        raise NotImplementedError

    def pack(self, values: Tensor, data_samples: Optional[List]) -> List:
        """Write view-averaged values (B, K) into the data samples."""
        raise NotImplementedError
