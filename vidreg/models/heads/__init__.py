from .base_head import BaseHead
from .cls_head import ClsHead
from .corn_head import CORNHead, level_probabilities
from .late_fusion_head import LateFusionHead
from .reg_head import RegHead

__all__ = ['BaseHead', 'ClsHead', 'CORNHead', 'level_probabilities', 'LateFusionHead', 'RegHead']
