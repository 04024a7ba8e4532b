from .checkpoint_after_val_hook import CheckpointAfterValHook
from .class_map_hook import ClassMapHook
from .divergence_check_hook import DivergenceCheckHook, TrainingDivergedError
from .multi_label_threshold_hook import MultiLabelThresholdHook
from .rich_progress_hook import RichProgressHook
from .rng_state_hook import RNGStateHook
from .skipped_samples_hook import SkippedSamplesHook
from .target_stats_hook import TargetStatsHook
from .train_summary_hook import TrainSummaryHook

__all__ = ['CheckpointAfterValHook', 'ClassMapHook', 'DivergenceCheckHook',
           'MultiLabelThresholdHook', 'RichProgressHook', 'RNGStateHook', 'SkippedSamplesHook',
           'TargetStatsHook', 'TrainingDivergedError', 'TrainSummaryHook']
