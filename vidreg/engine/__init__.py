from .hooks import RichProgressHook, TrainSummaryHook
from .runner import VidregRunner

__all__ = ['RichProgressHook', 'TrainSummaryHook', 'VidregRunner']
