from .autocast_optim_wrapper import AutocastOptimWrapper
from .layer_decay_optim_wrapper_constructor import LayerDecayOptimWrapperConstructor, layer_ids

__all__ = ['AutocastOptimWrapper', 'LayerDecayOptimWrapperConstructor', 'layer_ids']
