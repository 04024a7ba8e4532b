"""Building blocks shared by two or more model files."""
from .adapt_input_conv import adapt_input_conv
from .conv_in_channels import conv_in_channels
from .frame_wise import frame_wise
from .load_backbone_pretrained import load_backbone_pretrained
from .temporal_reduction import TemporalReduction

__all__ = ['adapt_input_conv', 'conv_in_channels', 'frame_wise', 'load_backbone_pretrained',
           'TemporalReduction']
