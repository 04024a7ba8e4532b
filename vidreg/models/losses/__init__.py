from .cross_entropy_loss import CrossEntropyLoss
from .regression_losses import L1Loss, MSELoss, SmoothL1Loss

__all__ = ['CrossEntropyLoss', 'MSELoss', 'L1Loss', 'SmoothL1Loss']
