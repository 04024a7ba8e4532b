from .cpu_distributed import setup_cpu_distributed
from .skip_empty_test_loop import SkipEmptyTestLoop
from .skip_empty_train_loop import SkipEmptyTrainLoop
from .skip_empty_val_loop import SkipEmptyValLoop
from .vidreg_runner import VidregRunner

__all__ = ['VidregRunner', 'SkipEmptyTrainLoop', 'SkipEmptyValLoop', 'SkipEmptyTestLoop',
           'setup_cpu_distributed']
