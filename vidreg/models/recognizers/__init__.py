from .base_recognizer import BaseRecognizer
from .multi_task_recognizer import MultiTaskRecognizer
from .recognizer import Recognizer

__all__ = ['BaseRecognizer', 'Recognizer', 'MultiTaskRecognizer']
