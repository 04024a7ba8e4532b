from .cpu_distributed import setup_cpu_distributed
from .loss_eval_mixin import LossEvalMixin
from .skip_empty_train_loop import SkipEmptyTrainLoop
from .vidreg_runner import VidregRunner
from .vidreg_test_loop import VidregTestLoop
from .vidreg_val_loop import VidregValLoop

__all__ = ['LossEvalMixin', 'SkipEmptyTrainLoop', 'VidregRunner', 'VidregTestLoop', 'VidregValLoop',
           'setup_cpu_distributed']
