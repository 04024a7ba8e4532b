from .base_recognizer import BaseRecognizer
from .late_fusion_recognizer import LateFusionRecognizer
from .recognizer import Recognizer

__all__ = ['BaseRecognizer', 'LateFusionRecognizer', 'Recognizer']
