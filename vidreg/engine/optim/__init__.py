from .autocast_optim_wrapper import AutocastOptimWrapper
from .layer_decay_optim_wrapper_constructor import (
    LayerDecayOptimWrapperConstructor,
    layer_ids,
    regroup_saved_state,
)

__all__ = ['AutocastOptimWrapper', 'LayerDecayOptimWrapperConstructor', 'layer_ids',
           'regroup_saved_state']
