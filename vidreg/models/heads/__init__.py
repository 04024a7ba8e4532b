from .base_head import BaseHead
from .cls_head import ClsHead
from .reg_head import RegHead

__all__ = ['BaseHead', 'ClsHead', 'RegHead']
