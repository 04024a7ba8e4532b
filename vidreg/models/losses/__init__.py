from .arrow_of_time_loss import ArrowOfTimeLoss
from .base_aux_loss import BaseAuxLoss
from .cross_entropy_loss import CrossEntropyLoss
from .cycle_consistency_loss import CycleConsistencyLoss
from .regression_losses import L1Loss, MSELoss, SmoothL1Loss

__all__ = ['BaseAuxLoss', 'ArrowOfTimeLoss', 'CycleConsistencyLoss', 'CrossEntropyLoss',
           'MSELoss', 'L1Loss', 'SmoothL1Loss']
