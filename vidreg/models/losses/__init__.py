from .asymmetric_loss import AsymmetricLoss
from .cross_entropy_loss import CrossEntropyLoss
from .regression_losses import L1Loss, MSELoss, SmoothL1Loss

__all__ = ['AsymmetricLoss', 'CrossEntropyLoss', 'MSELoss', 'L1Loss', 'SmoothL1Loss']
