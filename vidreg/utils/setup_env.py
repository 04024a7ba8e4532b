"""Import every vidreg module that registers components, and set the default scope."""
import datetime
import importlib

from mmengine.registry import DefaultScope

from .checkpoint import allow_mmengine_checkpoint_types, use_safe_loader_for_mmengine

REGISTERING_MODULES = (
    'vidreg.datasets', 'vidreg.pipeline', 'vidreg.pipeline.decoders', 'vidreg.models',
    'vidreg.evaluation', 'vidreg.engine.hooks', 'vidreg.engine.runner',
    'vidreg.engine.optim',
)


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import vidreg's registering modules and make ``'vidreg'`` the default scope.

    Args:
        init_default_scope: Create (or switch to) a ``DefaultScope`` named
            ``'vidreg'`` so that ``type='ClassName'`` resolves in vidreg's registries.
    """
    for name in REGISTERING_MODULES:
        importlib.import_module(name)
    allow_mmengine_checkpoint_types()
    use_safe_loader_for_mmengine()
    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None or current.scope_name != 'vidreg':
        stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S.%f')
        DefaultScope.get_instance(f'vidreg-{stamp}', scope_name='vidreg')
