"""Temporal modules: (B, D, T', H', W') -> (B, E), attribute ``out_channels``."""
from .tcn import TCN
from .temporal_avg_pool import TemporalAvgPool
from .temporal_rnn import TemporalRNN

__all__ = ['TCN', 'TemporalAvgPool', 'TemporalRNN']
