"""Check every ``type`` of a config before the Runner builds anything."""
import difflib
from typing import Iterator, List, Tuple

from mmengine.config import Config

from vidreg.registry import ALL_REGISTRIES


class UnknownTypeError(KeyError):
    """A config names a ``type`` that no registry knows."""

    def __str__(self) -> str:  # KeyError would print the message with quotes
        return str(self.args[0])


def _types(node, where: str = '') -> Iterator[Tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield node['type'], where or '<top level>'
        for key, value in node.items():
            yield from _types(value, f'{where}.{key}' if where else str(key))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _types(value, f'{where}[{i}]')


def _known_names() -> List[str]:
    names = set()
    for registry in ALL_REGISTRIES.values():
        node = registry
        while node is not None:
            names.update(node.module_dict)
            node = node.parent
    return sorted(names)


def check_config_types(cfg: Config) -> None:
    """Raise :class:`UnknownTypeError` naming the key and close registered names.

    Every ``type='Name'`` anywhere in the config must resolve in one of vidreg's
    registries (or their mmengine parents). Call after plugins are imported.
    """
    for name, where in _types(cfg.to_dict()):
        if any(registry.get(name) is not None for registry in ALL_REGISTRIES.values()):
            continue
        close = difflib.get_close_matches(name, _known_names(), n=5, cutoff=0.6)
        hint = f' Did you mean {", ".join(close)}?' if close else ''
        raise UnknownTypeError(
            f"Unknown type {name!r} at {where} in {cfg.filename}.{hint} List every registered "
            f'component with `python tools/list_components.py`; a plugin must be enabled with '
            f'custom_imports or --plugin.')
