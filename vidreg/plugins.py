"""Plugin discovery and loading: add components without touching ``vidreg/``.

A plugin is a Python package whose modules register components into the
registries of :mod:`vidreg.registry` when imported. It is one of three kinds:

``repo``
    A folder ``plugins/<name>/`` (with ``__init__.py``) in the vidreg checkout,
    imported as ``plugins.<name>``; loading one puts the checkout on ``sys.path``.
``entry_point``
    An installed distribution that declares an entry point in the group
    ``vidreg.plugins`` (``<name> = <module>``); the entry point's name is the
    plugin's name.
``package``
    Any importable module, loaded by its dotted name. Top-level packages named
    ``vidreg_*`` are also listed by :func:`discover_plugins`.

Tools load plugins with ``--plugin NAME``; configs with ``custom_imports =
dict(imports=['plugins.<name>'], allow_failed_imports=False)``, which
:func:`vidreg.config.load_config` imports through :func:`import_custom_imports`.
Both paths give the same errors: an unknown name lists the available plugins
(closest first), a plugin that fails to import names the plugin and shows the
underlying error, and a name registered twice names both definitions.

This module never imports a plugin by itself: ``vidreg`` does not import
``plugins`` at import time.
"""
import difflib
import importlib
import importlib.metadata
import importlib.util
import os
import os.path as osp
import pkgutil
import re
import sys
import traceback
import warnings
from types import ModuleType
from typing import Dict, Iterable, List, Literal, NamedTuple, Optional, Union

from vidreg.registry import ALL_REGISTRIES

__all__ = ['PluginError', 'DuplicateComponentError', 'PluginInfo', 'REPO_ROOT', 'ENTRY_POINT_GROUP',
           'discover_plugins', 'load_plugin', 'load_plugins', 'import_custom_imports']

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
ENTRY_POINT_GROUP = 'vidreg.plugins'
PACKAGE_PREFIX = 'vidreg_'
PluginKind = Literal['repo', 'entry_point', 'package']


class PluginError(ImportError):
    """A plugin cannot be found or fails to import; the message says which and why."""


class DuplicateComponentError(PluginError):
    """A plugin registers a name that is already registered (or replaces one)."""


class PluginInfo(NamedTuple):
    """One discovered plugin.

    Attributes:
        name: What ``--plugin`` takes.
        kind: ``'repo'``, ``'entry_point'`` or ``'package'``.
        module: The module imported to load it.
        location: Its folder, or ``<distribution> <version>`` for an entry point.
    """

    name: str
    kind: PluginKind
    module: str
    location: str


def _repo_plugins() -> List[PluginInfo]:
    root = osp.join(REPO_ROOT, 'plugins')
    if not osp.isfile(osp.join(root, '__init__.py')):
        return []
    return [PluginInfo(d, 'repo', f'plugins.{d}', osp.join(root, d))
            for d in sorted(os.listdir(root)) if osp.isfile(osp.join(root, d, '__init__.py'))]


def _entry_points() -> Dict[str, importlib.metadata.EntryPoint]:
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def _entry_point_info(ep: importlib.metadata.EntryPoint) -> PluginInfo:
    dist = f'{ep.dist.name} {ep.dist.version}' if ep.dist is not None else '?'
    return PluginInfo(ep.name, 'entry_point', ep.module, dist)


def discover_plugins() -> List[PluginInfo]:
    """List every plugin that :func:`load_plugin` can find by name, without importing any.

    Returns:
        The ``plugins/*`` folders of the checkout, then the ``vidreg.plugins`` entry
        points of installed distributions, then importable top-level ``vidreg_*``
        packages, each group sorted by name.
    """
    found = _repo_plugins()
    found += [_entry_point_info(ep) for _, ep in sorted(_entry_points().items())]
    packages = sorted((m.name, m.module_finder) for m in pkgutil.iter_modules()
                      if m.ispkg and m.name.startswith(PACKAGE_PREFIX))
    found += [PluginInfo(name, 'package', name, str(getattr(finder, 'path', '')))
              for name, finder in packages]
    return found


def _not_found(name: str) -> PluginError:
    available = [p.name for p in discover_plugins()]
    close = difflib.get_close_matches(name, available + [f'plugins.{n}' for n in available],
                                      n=3, cutoff=0.6)
    hint = f' Did you mean {", ".join(map(repr, close))}?' if close else ''
    listed = ', '.join(available) if available else 'none'
    return PluginError(
        f'Plugin {name!r} not found: no folder plugins/{name}/ in {REPO_ROOT}, no installed '
        f'distribution with a {ENTRY_POINT_GROUP!r} entry point named {name!r}, and no '
        f'importable module {name!r}.{hint} Available plugins: {listed} (see '
        f'`python -m vidreg plugins`).')


def _resolve(name: str) -> Union[str, importlib.metadata.EntryPoint]:
    """The module name or entry point that loads plugin ``name``."""
    short = name[len('plugins.'):] if name.startswith('plugins.') else name
    if '.' not in short and osp.isfile(osp.join(REPO_ROOT, 'plugins', short, '__init__.py')):
        if REPO_ROOT not in sys.path:
            sys.path.insert(0, REPO_ROOT)  # `plugins.<name>` importable without PYTHONPATH
        return f'plugins.{short}'
    entry_point = _entry_points().get(name)
    if entry_point is not None:
        return entry_point
    try:  # imports the parent packages of a dotted name
        found = importlib.util.find_spec(name) is not None
    except ModuleNotFoundError as error:  # missing parent package, unless a dependency of one
        if error.name is None or not (name + '.').startswith(error.name + '.'):
            raise
        found = False
    except ValueError:  # not a module name
        found = False
    if not found:
        raise _not_found(name)
    return name


def _snapshot() -> Dict[str, Dict[str, object]]:
    return {key: dict(registry.module_dict) for key, registry in ALL_REGISTRIES.items()}


def _where(obj: object) -> str:
    return f'{getattr(obj, "__module__", "?")}.{getattr(obj, "__qualname__", obj)}'


def _duplicate(plugin: str, name: str, registry: str, existing: object, new_module: str,
               new_where: str) -> DuplicateComponentError:
    return DuplicateComponentError(
        f'Plugin {plugin!r}: module {new_module} registers {name!r} in the {registry!r} registry '
        f'({new_where}), but {name!r} is already registered there by {_where(existing)}. Names '
        f'must be unique: subclass it under a new name (class My{name}({name})) and use that '
        f'name as the config `type`.')


# The KeyError text of mmengine's Registry.register_module for a name taken in that registry.
_TAKEN = re.compile(r'^(?P<name>.+) is already registered in (?P<registry>.+) at \S+$')


def _duplicate_from_key_error(plugin: str, error: KeyError) -> Optional[DuplicateComponentError]:
    """The duplicate registration a plugin's import raised, or None for any other KeyError.

    Uses only what is public: the error's text names the taken name and the registry, the
    registry's ``module_dict`` holds the existing definition, and the traceback's innermost
    frame outside mmengine is the plugin's line that registered.
    """
    match = _TAKEN.match(str(error.args[0])) if error.args else None
    registry = match and next((r for r in ALL_REGISTRIES.values()
                               if r.name == match['registry']), None)
    if registry is None or match['name'] not in registry.module_dict:
        return None
    frames = [(frame.f_globals.get('__name__', '?'), frame.f_code.co_filename, lineno)
              for frame, lineno in traceback.walk_tb(error.__traceback__)]
    callers = [f for f in frames if f[0].split('.')[0] != 'mmengine'] or frames
    module, filename, lineno = callers[-1]
    return _duplicate(plugin, match['name'], registry.name, registry.module_dict[match['name']],
                      module, f'{filename}:{lineno}')


def _import_failure(plugin: str, module: str, error: BaseException) -> PluginError:
    frames = traceback.extract_tb(error.__traceback__)
    where = f' (at {frames[-1].filename}:{frames[-1].lineno})' if frames else ''
    return PluginError(f'Plugin {plugin!r} (module {module!r}) failed to import: '
                       f'{type(error).__name__}: {error}{where}. Fix the plugin or install what '
                       f'it needs.')


def _check_new_registrations(plugin: str, before: Dict[str, Dict[str, object]]) -> None:
    """Reject replaced names (``force=True``) and names hiding one of mmengine's."""
    for key, registry in ALL_REGISTRIES.items():
        for name, obj in registry.module_dict.items():
            old = before[key].get(name)
            new_module = getattr(obj, '__module__', '?')
            if old is not None and old is not obj:
                raise _duplicate(plugin, name, registry.name, old, new_module, _where(obj))
            parent = registry.parent
            if old is None and parent is not None and name in parent.module_dict:
                raise _duplicate(plugin, name, registry.name, parent.module_dict[name],
                                 new_module, _where(obj))


def load_plugin(name: str) -> ModuleType:
    """Import plugin ``name`` so that its components are registered.

    vidreg's own components are registered first, so that a plugin reusing one of
    their names fails here rather than vidreg failing later.

    Args:
        name: ``'<name>'`` or ``'plugins.<name>'`` for ``plugins/<name>/`` of the
            checkout; the name of a ``vidreg.plugins`` entry point; or any importable
            dotted module name, in this order of precedence.

    Returns:
        The imported module (for an entry point, what it loads).

    Raises:
        PluginError: No such plugin (the message lists the available ones), or the
            plugin raised while importing (chained, so its traceback is kept).
        DuplicateComponentError: The plugin registers a name that vidreg, mmengine
            or another plugin already registered.
    """
    from vidreg.utils.setup_env import register_all_modules
    register_all_modules(init_default_scope=False)
    before = _snapshot()
    module = name
    try:
        target = _resolve(name)
        if isinstance(target, str):
            module = target
            loaded = importlib.import_module(target)
        else:
            module = target.module
            loaded = target.load()
    except PluginError:  # not found, or raised by a plugin that loads another plugin
        raise
    except KeyError as error:
        duplicate = _duplicate_from_key_error(name, error)
        if duplicate is None:
            raise _import_failure(name, module, error) from error
        raise duplicate from error
    except Exception as error:  # anything the plugin's code raises
        raise _import_failure(name, module, error) from error
    _check_new_registrations(name, before)
    return loaded


def load_plugins(names: Iterable[str]) -> List[ModuleType]:
    """:func:`load_plugin` for each name, in order."""
    return [load_plugin(name) for name in names]


def import_custom_imports(custom_imports: Optional[dict]) -> List[ModuleType]:
    """Import a config's ``custom_imports`` through :func:`load_plugin`.

    Args:
        custom_imports: ``dict(imports=[...], allow_failed_imports=False)`` as in
            mmengine, or None. With ``allow_failed_imports`` a plugin that cannot be
            found or imported is skipped with a warning; a duplicate name still raises.

    Returns:
        The imported modules.
    """
    if not custom_imports:
        return []
    imports = custom_imports.get('imports', [])
    imports = [imports] if isinstance(imports, str) else list(imports)
    allow_failed = bool(custom_imports.get('allow_failed_imports', False))
    modules = []
    for name in imports:
        try:
            modules.append(load_plugin(name))
        except DuplicateComponentError:
            raise
        except PluginError as error:
            if not allow_failed:
                raise
            warnings.warn(f'{error} Skipped (allow_failed_imports=True).')
    return modules
