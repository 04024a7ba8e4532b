"""Recurrent temporal module (LSTM or GRU) over per-frame features (CNN-RNN)."""
from typing import Literal

import torch
from torch import Tensor, nn

from vidreg.models.layers import TemporalReduction
from vidreg.registry import MODELS

__all__ = ['TemporalRNN']


@MODELS.register_module()
class TemporalRNN(nn.Module):
    """LSTM or GRU over the frame sequence, batch-first, reduced over time.

    Features are averaged over space, dropped out (the seed's ``Dropout(0.1)``
    on the 512-d frame features), and run through the RNN as ``(B, T, D)`` with
    ``batch_first=True``: every sample has its own hidden state, unlike the seed,
    whose ``(B, 1, 512)`` steps made the LSTM read the batch as the time axis.
    Seed values: ``cell='lstm'``, hidden 100, 1 layer, dropout 0.1, last step.

    Args:
        in_channels: D, injected by the Recognizer.
        cell: ``'lstm'`` (``nn.LSTM``) or ``'gru'`` (``nn.GRU``).
        hidden_channels: Hidden size per direction.
        num_layers: Stacked RNN layers.
        bidirectional: Also run backwards in time; E doubles.
        dropout: Dropout probability on the input features and between stacked layers.
        reduction: How the (B, E, T) outputs become (B, E); see
            :class:`~vidreg.models.layers.TemporalReduction`. With
            ``bidirectional``, ``'last'`` takes each direction's final step (T-1
            forwards, 0 backwards), so both halves have seen the whole clip.

    Attributes:
        out_channels: E = hidden_channels * (2 if bidirectional else 1).
    """

    def __init__(self, *, in_channels: int, cell: Literal['lstm', 'gru'] = 'lstm',
                 hidden_channels: int = 100, num_layers: int = 1, bidirectional: bool = False,
                 dropout: float = 0.1,
                 reduction: Literal['last', 'mean', 'sum', 'attention'] = 'last') -> None:
        super().__init__()
        if cell not in ('lstm', 'gru'):
            raise ValueError(f"cell must be 'lstm' or 'gru', got {cell!r}")
        rnn_class = nn.LSTM if cell == 'lstm' else nn.GRU
        self.dropout = nn.Dropout(dropout)
        self.rnn = rnn_class(in_channels, hidden_channels, num_layers=num_layers,
                             batch_first=True, bidirectional=bidirectional,
                             dropout=dropout if num_layers > 1 else 0.0)
        self.bidirectional = bidirectional
        self.out_channels = hidden_channels * (2 if bidirectional else 1)
        self.reduction = TemporalReduction(reduction, self.out_channels)

    def forward_sequence(self, x: Tensor) -> Tensor:
        """Per-step RNN outputs before the reduction over time.

        Args:
            x: Backbone features, (B, D, T, H, W).

        Returns:
            Step features, (B, E, T); with ``bidirectional`` the first half of E
            runs forwards and the second half backwards in time.
        """
        if x.dim() != 5:
            raise ValueError(f'TemporalRNN expects (B, D, T, H, W), got shape {tuple(x.shape)}')
        x = self.dropout(x.mean(dim=(3, 4)))  # (B, D, T)
        out, _ = self.rnn(x.transpose(1, 2))  # (B, T, E)
        return out.transpose(1, 2)  # (B, E, T)

    def forward(self, x: Tensor) -> Tensor:
        """Encode the frame sequence.

        Args:
            x: Backbone features, (B, D, T, H, W).

        Returns:
            Clip embedding, (B, E).
        """
        steps = self.forward_sequence(x)  # (B, E, T)
        if self.bidirectional and self.reduction.mode == 'last':
            half = steps.shape[1] // 2
            return torch.cat([steps[:, :half, -1], steps[:, half:, 0]], dim=1)  # (B, E)
        return self.reduction(steps)
