from .base_recognizer import BaseRecognizer
from .recognizer import Recognizer

__all__ = ['BaseRecognizer', 'Recognizer']
