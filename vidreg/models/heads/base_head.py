"""What classification and regression heads share: dropout, a linear layer, the loss."""
from typing import ClassVar, Dict, List, Literal, Optional, Union

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
        loss_name: Key of the loss in the dict :meth:`loss` returns (``loss_cls``,
            ``loss_reg``, ``loss_<branch>`` for a head on an auxiliary branch). It must
            contain ``'loss'``: mmengine's ``parse_losses`` sums exactly those keys into
            the total it back-propagates and logs as ``loss``.

    Attributes:
        task: The data a subclass predicts, compared with the datasets' ``task`` before a
            config is built (:func:`vidreg.utils.task_check.check_model_task`).
    """

    task: ClassVar[Literal['classification', 'regression', 'multilabel']]

    def __init__(self, *, in_channels: int, out_channels: int, dropout: float,
                 loss: Union[dict, nn.Module], loss_name: str) -> None:
        super().__init__()
        if 'loss' not in loss_name or loss_name == 'loss':
            raise ValueError(
                f"loss_name must contain 'loss' and differ from 'loss' (mmengine sums the keys "
                f"containing 'loss' into the total it logs as 'loss'), got {loss_name!r}; use "
                f"e.g. 'loss_cls' or 'loss_<branch>'.")
        if isinstance(out_channels, bool) or not isinstance(out_channels, int) or out_channels < 1:
            raise ValueError(f'{type(self).__name__} needs a positive integer number of outputs K '
                             f'(num_classes or num_outputs), got {out_channels!r}.')
        self.in_channels, self.out_channels = in_channels, out_channels
        self.loss_name = loss_name
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(in_channels, out_channels)
        self.loss_module = MODELS.build(loss) if isinstance(loss, dict) else loss

    def forward(self, x: Tensor) -> Tensor:
        """Args: x, clip embeddings (B, E). Returns raw outputs (B, K)."""
        return self.fc(self.dropout(x))

    def loss(self, x: Tensor, data_samples: List) -> Dict[str, Tensor]:
        """Compute the loss of one batch.

        Args:
            x: Clip embeddings, (B, E).
            data_samples: B samples with ``gt_label``.

        Returns:
            ``{loss_name: scalar}``.
        """
        return {self.loss_name: self.loss_of_outputs(self(x), data_samples)}

    def loss_of_outputs(self, outputs: Tensor, data_samples: List) -> Tensor:
        """The loss of outputs (B, K) of :meth:`forward` against the samples' labels (scalar)."""
        return self.loss_module(outputs, self.targets(data_samples, outputs.device))

    def targets(self, data_samples: List, device: torch.device) -> Tensor:
        raise NotImplementedError

    def activate(self, outputs: Tensor) -> Tensor:
        """Raw outputs (B, K) -> values averaged over views (B, K)."""
        raise NotImplementedError

    def pack(self, values: Tensor, data_samples: Optional[List]) -> List:
        """Write view-averaged values (B, K) into the data samples."""
        raise NotImplementedError
