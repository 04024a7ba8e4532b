from . import backbones, data_preprocessors, heads, layers, losses, recognizers, temporal
from .build_model import build_model, config_modalities
from .data_preprocessors import VideoDataPreprocessor
from .heads import BaseHead, ClsHead, RegHead
from .losses import CrossEntropyLoss, L1Loss, MSELoss, SmoothL1Loss
from .recognizers import BaseRecognizer, Recognizer

__all__ = ['backbones', 'data_preprocessors', 'heads', 'layers', 'losses', 'recognizers',
           'temporal', 'VideoDataPreprocessor', 'BaseHead', 'ClsHead', 'RegHead',
           'CrossEntropyLoss', 'L1Loss', 'MSELoss', 'SmoothL1Loss', 'BaseRecognizer',
           'Recognizer', 'build_model', 'config_modalities']
