"""Building blocks shared by two or more model files."""
from .frame_wise import FrameWise, frame_wise
from .temporal_reduction import TemporalReduction

__all__ = ['FrameWise', 'frame_wise', 'TemporalReduction']
