"""The ``vidreg`` command (``python -m vidreg``): list registered components and plugins.

``vidreg list [--registry model] [--plugin NAME ...] [--all-plugins] [--with-mmengine]``
prints every registered component by registry with the module that defines it;
``vidreg plugins`` prints the plugins that ``--plugin`` can load.
"""
import argparse
import sys
from typing import List, NamedTuple, Optional

from rich.console import Console
from rich.table import Table

from vidreg.plugins import PluginError, discover_plugins, load_plugins
from vidreg.registry import ALL_REGISTRIES
from vidreg.utils.error_console import print_error

__all__ = ['Component', 'list_components', 'main']


class Component(NamedTuple):
    """One registered name: ``registry`` is a key of :data:`vidreg.registry.ALL_REGISTRIES`."""

    registry: str
    name: str
    module: str
    scope: str


def list_components(registry: Optional[str] = None, *,
                    with_mmengine: bool = False) -> List[Component]:
    """Every registered component, sorted by registry then name.

    Call after :func:`vidreg.utils.register_all_modules` and after loading plugins;
    only what has been imported is registered.

    Args:
        registry: Keep one registry (a key of ``ALL_REGISTRIES``, e.g. ``'model'``).
        with_mmengine: Also list names of mmengine's parent registries that vidreg's
            do not shadow (e.g. ``SGD``, ``CheckpointHook``); configs can use them too.
    """
    rows = []
    for key in sorted(ALL_REGISTRIES):
        if registry is not None and key != registry:
            continue
        reg = ALL_REGISTRIES[key]
        scopes = [(reg.scope, reg.module_dict)]
        if with_mmengine and reg.parent is not None:
            scopes.append((reg.parent.scope, reg.parent.module_dict))
        seen = set()
        for scope, entries in scopes:
            for name in sorted(set(entries) - seen):
                rows.append(Component(key, name, getattr(entries[name], '__module__', '?'), scope))
            seen.update(entries)
    return rows


def _console() -> Console:
    # Piped output (files, tests) gets wide lines instead of rich's default 80 columns.
    return Console() if sys.stdout.isatty() else Console(width=200)


def _print_components(args: argparse.Namespace) -> None:
    from vidreg.utils import register_all_modules
    register_all_modules()
    names = [p.name for p in discover_plugins()] if args.all_plugins else args.plugin
    load_plugins(names)
    rows = list_components(args.registry, with_mmengine=args.with_mmengine)
    table = Table(title='Registered components' + (f' ({args.registry})' if args.registry else ''))
    for column in ('registry', 'name', 'module') + (('scope',) if args.with_mmengine else ()):
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(row.registry, row.name, row.module,
                      *((row.scope,) if args.with_mmengine else ()))
    _console().print(table)


def _print_plugins(args: argparse.Namespace) -> None:
    table = Table(title='Plugins (load with --plugin NAME)')
    for column in ('name', 'kind', 'module', 'location'):
        table.add_column(column, no_wrap=True)
    for plugin in discover_plugins():
        table.add_row(*plugin)
    _console().print(table)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='vidreg', description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
    components = commands.add_parser('list', help='registered components by registry')
    components.add_argument('--registry', choices=sorted(ALL_REGISTRIES),
                            help='show one registry only, e.g. model')
    components.add_argument('--plugin', action='append', default=[], metavar='NAME',
                            help='load a plugin first (repeatable)')
    components.add_argument('--all-plugins', action='store_true',
                            help='load every discovered plugin first')
    components.add_argument('--with-mmengine', action='store_true',
                            help="also list mmengine's own components (SGD, CheckpointHook, ...)")
    components.set_defaults(run=_print_components)
    plugins = commands.add_parser('plugins', help='plugins that --plugin can load')
    plugins.set_defaults(run=_print_plugins)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the exit code (2 for a plugin error)."""
    args = _parser().parse_args(argv)
    try:
        args.run(args)
    except PluginError as error:
        print_error(error)
        return 2
    return 0
