"""Check the arguments a config gives its components against their constructors.

A misspelt argument must stop the run before anything is built, with the close matches
(``ClsHead takes no argument 'dropuot'. Did you mean 'dropout'?``), not as a ``TypeError``
from deep inside the Runner: a dataloader's ``batch_szie`` fails only when training starts,
a checkpoint hook's ``intervl`` only when the first checkpoint is saved, after a whole epoch.

A dict names its component with ``type``; two kinds of dict name it implicitly:

- ``train_dataloader``, ``val_dataloader`` and ``test_dataloader`` are the arguments of
  torch's ``DataLoader`` (plus the few mmengine's ``Runner.build_dataloader`` takes itself);
- ``default_hooks`` and ``custom_hooks`` hold hooks, which mmengine builds with
  ``priority`` taken out.

A component whose constructor takes ``**kwargs`` accepts anything, except mmengine's
``CheckpointHook`` (and its subclasses): it hands its ``**kwargs`` to
``Runner.save_checkpoint``, whose every argument it already passes itself.
"""
import difflib
import inspect
from typing import Any, Iterable, Iterator, Optional, Tuple

from mmengine.config import Config
from mmengine.hooks import CheckpointHook
from torch.utils.data import DataLoader

from vidreg.registry import ALL_REGISTRIES

__all__ = ['ArgumentsError', 'argument_error', 'check_component_arguments', 'did_you_mean']

DATALOADER_KEYS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
# Dataloader keys mmengine's Runner.build_dataloader takes out before calling DataLoader.
_RUNNER_DATALOADER_KEYS = ('num_batch_per_epoch', 'disable_subprocess_warning')
# Keys a builder takes out of any component dict before calling the constructor.
_BUILDER_KEYS = ('type', '_scope_')
# Components whose **kwargs reach a call that takes none beyond their named arguments.
_KWARGS_TAKE_NOTHING = (CheckpointHook,)


class ArgumentsError(ValueError):
    """A config gives a component an argument its constructor does not take."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``' Did you mean 'a' or 'b'?'`` for the close matches of ``word``, or ``''``."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=0.6)
    return f' Did you mean {" or ".join(repr(c) for c in close)}?' if close else ''


def _registered(name: str) -> Any:
    for registry in ALL_REGISTRIES.values():
        found = registry.get(name)
        if found is not None:
            return found
    return None


def _accepted(path: str, node: dict) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """``(component name, argument names)`` of what ``node`` (at ``path``) builds, or ``None``
    when it accepts any argument (no known component, or a ``**kwargs`` constructor)."""
    if path in DATALOADER_KEYS:
        params = tuple(inspect.signature(DataLoader.__init__).parameters)[1:]
        return 'DataLoader', params + _RUNNER_DATALOADER_KEYS
    target = _registered(node['type']) if isinstance(node.get('type'), str) else None
    if not inspect.isclass(target):
        return None  # no type (a plain dict) or a function: anything goes
    params = inspect.signature(target.__init__).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()) \
            and not issubclass(target, _KWARGS_TAKE_NOTHING):
        return None
    names = tuple(name for name, p in params.items() if name != 'self' and p.kind not in (
        inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL))
    return node['type'], names


def argument_error(path: str, name: str, node: dict) -> Optional[str]:
    """Why ``name`` cannot be an argument of the component that ``node`` (at ``path``,
    e.g. ``'model.head'``) builds; ``None`` if it can."""
    accepted = _accepted(path, node)
    if accepted is None or name in accepted[1] or name in _BUILDER_KEYS:
        return None
    component, names = accepted
    listed = f'Its arguments: {", ".join(names)}.' if names else 'It takes no arguments.'
    return f'{component} takes no argument {name!r}.{did_you_mean(name, names)} {listed}'


def _components(cfg: dict) -> Iterator[Tuple[str, dict]]:
    """``(path, dict)`` of the dataloaders, their datasets and samplers, and the hooks."""
    for key in DATALOADER_KEYS:
        loader = cfg.get(key)
        if isinstance(loader, dict):
            yield key, loader
            for part in ('dataset', 'sampler', 'batch_sampler'):
                if isinstance(loader.get(part), dict):
                    yield f'{key}.{part}', loader[part]
    hooks = cfg.get('default_hooks')
    for name, hook in (hooks.items() if isinstance(hooks, dict) else ()):
        if isinstance(hook, dict):
            yield f'default_hooks.{name}', hook
    hooks = cfg.get('custom_hooks')
    for index, hook in enumerate(hooks if isinstance(hooks, (list, tuple)) else ()):
        if isinstance(hook, dict):
            yield f'custom_hooks[{index}]', hook


def check_component_arguments(cfg: Config) -> None:
    """Raise :class:`ArgumentsError` for an argument a dataloader, dataset, sampler or hook
    of ``cfg`` does not take, naming its key and the close matches.

    Call after plugins are imported and every ``type`` is known
    (:func:`vidreg.utils.registry_check.check_config_types`).
    """
    for path, node in _components(cfg.to_dict()):
        for name in node:
            if name == 'priority' and 'hooks' in path:
                continue  # mmengine's register_hook takes it out
            problem = argument_error(path, name, node)
            if problem is not None:
                raise ArgumentsError(f'{cfg.filename}: {path}.{name}: {problem}')
