"""Example plugin: a TSM backbone, a frame sampler and a loss, registered into vidreg.registry.

Importing this package registers ``TSMResNet2D`` (MODELS), ``RandomStrideSampleFrames``
(TRANSFORMS) and ``FocalLoss`` (MODELS). Enable it in a config with
``custom_imports = dict(imports=['plugins.example'], allow_failed_imports=False)`` or on
the command line with ``--plugin example``.
"""
from .focal_loss import FocalLoss
from .random_stride_sample_frames import RandomStrideSampleFrames
from .tsm_resnet2d import TSMResNet2D

__all__ = ['TSMResNet2D', 'RandomStrideSampleFrames', 'FocalLoss']
