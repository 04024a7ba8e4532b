from .rich_progress_hook import RichProgressHook
from .train_summary_hook import TrainSummaryHook

__all__ = ['RichProgressHook', 'TrainSummaryHook']
