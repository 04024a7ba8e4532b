"""Building blocks shared by two or more model files."""
from .frame_wise import frame_wise
from .temporal_reduction import TemporalReduction

__all__ = ['frame_wise', 'TemporalReduction']
