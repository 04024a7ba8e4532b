from .ccc_loss import CCCLoss, concordance_correlation
from .corn_loss import CORNLoss
from .cross_entropy_loss import CrossEntropyLoss
from .regression_losses import L1Loss, MSELoss, SmoothL1Loss

__all__ = ['CCCLoss', 'CORNLoss', 'concordance_correlation', 'CrossEntropyLoss', 'MSELoss',
           'L1Loss', 'SmoothL1Loss']
