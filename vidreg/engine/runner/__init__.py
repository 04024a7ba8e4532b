from .cpu_distributed import LauncherError, setup_cpu_distributed, slurm_environment
from .loss_eval_mixin import LossEvalMixin
from .skip_empty_train_loop import SkipEmptyTrainLoop
from .vidreg_runner import VidregRunner
from .vidreg_test_loop import VidregTestLoop
from .vidreg_val_loop import VidregValLoop

__all__ = ['LauncherError', 'LossEvalMixin', 'SkipEmptyTrainLoop', 'VidregRunner', 'VidregTestLoop',
           'VidregValLoop', 'setup_cpu_distributed', 'slurm_environment']
