from .base_recognizer import BaseRecognizer
from .late_fusion_recognizer import LateFusionRecognizer
from .multi_task_recognizer import MultiTaskRecognizer
from .recognizer import Recognizer

__all__ = ['BaseRecognizer', 'LateFusionRecognizer', 'MultiTaskRecognizer', 'Recognizer']
