"""Config loading in which top-level knobs reach every place that uses them.

With plain mmengine, ``--cfg-options num_frames=8`` changes the top-level key
``num_frames`` after the config file has run, so the pipelines, dataloaders and
heads that were built from ``num_frames`` keep the old value (mmcv#664). Here a
knob is a top-level assignment of a literal (``num_frames = 16``). Overrides of
knobs are written into the config sources *before* they are evaluated:

1. ``--cfg-options NAME=VALUE`` where NAME is a knob of the config or one of its
   ``_base_`` files replaces that assignment in every file that makes it;
2. a config that assigns a knob its ``_base_`` files also assign (say
   ``num_frames = 8`` over a dataset fragment's ``num_frames = 16``) overrides it
   in those files too, so the fragment's pipelines follow it. This holds at every
   level: a demo built on another config (``_base_ = ['./twostream_flow_synthetic.py']``)
   sees that config's knobs reach the fragments below it, and its own override
   both; the file nearest the leaf wins.

Other options (dotted keys like ``model.head.dropout=0.5``) are merged afterwards
as mmengine does. A misspelt option is an error with the close matches, never ignored:
a name that is no knob, no top-level key and no Runner argument (``num_clases=3``), a
dotted path through a missing key, or a new argument that the component named by the
dict's ``type`` does not take (``model.head.dropuot=0.5``).
"""
import ast
import difflib
import inspect
import os
import os.path as osp
import tempfile
from typing import Any, Dict, Iterable, List, Optional

from mmengine.config import Config
from mmengine.runner import Runner

from vidreg.plugins import import_custom_imports
from vidreg.registry import ALL_REGISTRIES

__all__ = ['load_config', 'ConfigError', 'find_knobs', 'resolved_config_text']


class ConfigError(ValueError):
    """A config file is missing or an override cannot be applied."""


def _parse(path: str) -> ast.Module:
    with open(path, encoding='utf-8') as f:
        source = f.read()
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as error:
        raise ConfigError(f'{path}: syntax error on line {error.lineno}: {error.msg}') from error


def _base_files(path: str, tree: ast.Module) -> List[str]:
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == '_base_'):
            value = ast.literal_eval(node.value)
            names = [value] if isinstance(value, str) else list(value)
            return [osp.normpath(osp.join(osp.dirname(path), name)) for name in names]
    return []


def find_knobs(tree: ast.Module) -> Dict[str, Any]:
    """Top-level ``NAME = <literal>`` assignments of a parsed config (its knobs)."""
    knobs = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and not node.targets[0].id.startswith('_')):
            try:
                knobs[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue  # a dict(...) call or an expression: not a knob
    return knobs


def _rewrite(path: str, overrides: Dict[str, Any]) -> str:
    """Return the source of ``path`` with the knobs in ``overrides`` reassigned."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines(keepends=True)
    tree = ast.parse(''.join(lines), filename=path)
    edits = []
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in overrides):
            edits.append((node.lineno, node.end_lineno, node.targets[0].id))
    for first, last, name in sorted(edits, reverse=True):
        lines[first - 1:last] = [f'{name} = {overrides[name]!r}\n']
    return ''.join(lines)


def _collect(path: str, seen: Optional[List[str]] = None) -> List[str]:
    """The config and all its ``_base_`` files, leaf first."""
    seen = seen if seen is not None else []
    if not osp.isfile(path):
        raise ConfigError(f'Config file {path!r} does not exist. Configs live in configs/ '
                          f'(e.g. configs/demo/restcn_synthetic.py).')
    seen.append(path)
    for base in _base_files(path, _parse(path)):
        if base not in seen:
            _collect(base, seen)
    return seen


# Top-level keys that mean something without appearing in a config: the Runner's arguments and
# the keys vidreg's tools read.
_TOP_LEVEL_KEYS = frozenset(inspect.signature(Runner.__init__).parameters) - {'self'} | {
    'runner_type', 'find_unused_parameters', 'partial_load', 'tensorboard'}


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=0.6)
    return f' Did you mean {" or ".join(repr(c) for c in close)}?' if close else ''


def _registered_class(name: str):
    for registry in ALL_REGISTRIES.values():
        found = registry.get(name)
        if found is not None:
            return found
    return None


def _new_argument_error(key: str, node: dict) -> Optional[str]:
    """Why ``key``'s last part cannot be a new argument of the component ``node`` builds."""
    target = _registered_class(node['type']) if isinstance(node.get('type'), str) else None
    if not inspect.isclass(target):
        return None  # no type (a plain dict, e.g. a dataloader's arguments): anything goes
    params = inspect.signature(target.__init__).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None
    name = key.rsplit('.', 1)[-1]
    if name in params:
        return None
    choices = [p for p in params if p != 'self']
    return (f'{node["type"]} takes no argument {name!r}.{_did_you_mean(name, choices)} '
            f'Its arguments: {", ".join(choices)}.')


def _check_option(cfg: Config, key: str, knobs: Iterable[str]) -> None:
    """Raise :class:`ConfigError` if ``--cfg-options key=...`` would be a typo."""
    parts = key.split('.')
    where = f'--cfg-options {key}=... ({cfg.filename})'
    if len(parts) == 1:
        if key in cfg or key in _TOP_LEVEL_KEYS:
            return
        raise ConfigError(f'{where}: {key!r} is neither a knob nor a key of this config.'
                          f'{_did_you_mean(key, [*knobs, *cfg.keys()])} Knobs: '
                          f'{", ".join(sorted(knobs))}; nested keys are dotted, e.g. '
                          f'model.head.dropout=0.5.')
    node: Any = cfg._cfg_dict.to_dict()
    for depth, part in enumerate(parts):
        path = '.'.join(parts[:depth + 1])
        if isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        if depth == 0:
            raise ConfigError(f'{where}: this config has no key {part!r}.'
                              f'{_did_you_mean(part, cfg.keys())}')
        parent = '.'.join(parts[:depth])
        problem = _new_argument_error(path, node) if isinstance(node, dict) else (
            f'{parent} is not a dict')
        if problem is None:
            return  # a new argument the component takes, or a new key of an untyped dict
        raise ConfigError(f'{where}: {parent} has no key {part!r}: {problem}')


def load_config(path: str, options: Optional[Dict[str, Any]] = None) -> Config:
    """Load a config, applying ``options`` (``--cfg-options``) as described above.

    Args:
        path: The leaf config file.
        options: ``{key: value}``; keys without dots that are knobs of any file are
            rewritten in the sources, the rest merged with ``Config.merge_from_dict``.

    Returns:
        The config; ``cfg.filename`` is ``path``.
    """
    path = osp.abspath(path)
    options = dict(options or {})
    files = _collect(path)
    knobs_by_file = {f: find_knobs(_parse(f)) for f in files}
    all_knobs = set().union(*knobs_by_file.values())
    cli = {k: v for k, v in options.items() if '.' not in k and k in all_knobs}
    rest = {k: v for k, v in options.items() if k not in cli}
    inherited = {}  # knobs a file assigns over its bases'; files nearer the leaf win
    for file in reversed(files):  # leaf first in files: every file's bases come after it
        bases = _collect(file)[1:]
        inherited.update({k: v for k, v in knobs_by_file[file].items()
                          if any(k in knobs_by_file[base] for base in bases)})
    overrides = {**inherited, **cli}
    if not overrides:
        cfg = _from_file(path, path)
    else:
        with tempfile.TemporaryDirectory(prefix='vidreg_cfg_') as tmp:
            # Mirror each file at tmp + its absolute path, so relative _base_ paths still resolve.
            for file in files:
                mirrored = osp.join(tmp, file.lstrip(os.sep))
                os.makedirs(osp.dirname(mirrored), exist_ok=True)
                with open(mirrored, 'w', encoding='utf-8') as f:
                    f.write(_rewrite(file, overrides))
            cfg = _from_file(osp.join(tmp, path.lstrip(os.sep)), path, mirror=tmp)
        cfg = Config(cfg._cfg_dict.to_dict(), filename=path)
    if rest:
        import_custom_imports(cfg.get('custom_imports'))  # plugin types, to check arguments
        for key in rest:
            _check_option(cfg, key, all_knobs)
        cfg.merge_from_dict(rest)
    # Plugins load through vidreg.plugins (clear errors for unknown names, failing imports
    # and duplicate registrations) rather than mmengine's import_modules_from_strings.
    import_custom_imports(cfg.get('custom_imports'))
    return cfg


def _from_file(file: str, shown: str, mirror: Optional[str] = None) -> Config:
    """``Config.fromfile(file)``; a ``ValueError`` that a config file raises (its own check of
    a knob, e.g. ``flow_layout``) becomes a :class:`ConfigError` naming ``shown``, the file
    the user gave (``file`` may be its copy under the temporary ``mirror``)."""
    try:
        return Config.fromfile(file, import_custom_modules=False)
    except ValueError as error:
        message = str(error)
        if mirror is not None:
            message = message.replace(mirror, '')
        raise ConfigError(f'config {shown}: {message}') from error


def resolved_config_text(cfg: Config) -> str:
    """The config as vidreg runs it, as Python source: what the work dir keeps.

    Plain ``mmengine.Config.fromfile`` shows the sources before knob rewriting; this is
    the config after it (``_base_`` files merged, knobs and ``--cfg-options`` applied
    everywhere), headed by the file it came from.
    """
    return (f'# Resolved config of {cfg.filename}\n'
            f'# (_base_ files merged, knobs and --cfg-options applied everywhere). Every value is\n'
            f'# written out, so a knob edited here changes only its own line: to change a knob,\n'
            f'# pass --cfg-options NAME=VALUE with the source config.\n'
            f'{cfg.pretty_text}')
