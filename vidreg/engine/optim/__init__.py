from .layer_decay_optim_wrapper_constructor import LayerDecayOptimWrapperConstructor, layer_ids

__all__ = ['LayerDecayOptimWrapperConstructor', 'layer_ids']
