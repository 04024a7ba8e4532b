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
import inspect
import os
import os.path as osp
import tempfile
from typing import Any, Dict, Iterable, List, Optional

from mmengine.config import Config
from mmengine.runner import Runner

from vidreg.config_arguments import argument_error, did_you_mean
from vidreg.knob_values import coerce_knob_value, knob_value_problem
from vidreg.plugins import import_custom_imports

__all__ = ['RESOLVED_CONFIG_HEADER', 'load_config', 'ConfigError', 'find_knobs',
           'resolved_config_text']

# The first line of a resolved config (what each run writes to its work dir) starts with this.
RESOLVED_CONFIG_HEADER = '# Resolved config of '


class ConfigError(ValueError):
    """A config file is missing or an override cannot be applied."""


# Suffixes and leading bytes of files that are checkpoints (torch's zip or pickle format, ONNX).
_CHECKPOINT_SUFFIXES = ('.pth', '.pt', '.ckpt', '.bin', '.onnx', '.safetensors')
_CHECKPOINT_MAGIC = (b'PK\x03\x04', b'\x80')
_EXAMPLE = 'configs/demo/restcn_synthetic.py'


def _check_config_file(path: str) -> None:
    """Raise :class:`ConfigError` unless ``path`` is a Python config file, saying what it is."""
    if osp.isdir(path):
        raise ConfigError(f'{path!r} is a folder, not a config file. Pass a .py config, e.g. '
                          f'{_EXAMPLE}.')
    if not osp.isfile(path):
        raise ConfigError(f'Config file {path!r} does not exist. Configs live in configs/ '
                          f'(e.g. {_EXAMPLE}).')
    with open(path, 'rb') as f:
        head = f.read(4)
    if path.endswith(_CHECKPOINT_SUFFIXES) or head.startswith(_CHECKPOINT_MAGIC):
        raise ConfigError(f'{path!r} is a checkpoint, not a config (a .py file, e.g. {_EXAMPLE}). '
                          f'Tools take the config first: tools/test.py CONFIG CHECKPOINT; to '
                          f'start training from its weights: tools/train.py CONFIG '
                          f'--cfg-options load_from=CHECKPOINT.')
    if not path.endswith('.py'):
        raise ConfigError(
            f'{path!r} is not a Python config: vidreg reads .py configs, whose knobs and '
            f'--cfg-options it writes into the sources. Use a config from configs/ (e.g. '
            f'{_EXAMPLE}) or write a .py one: _base_ = [fragments of configs/_base_/], then '
            f'model = dict(...).')


def _parse(path: str) -> ast.Module:
    try:
        with open(path, encoding='utf-8') as f:
            source = f.read()
    except UnicodeDecodeError as error:
        raise ConfigError(f'{path!r} is not a text file, so not a config (a .py file, e.g. '
                          f'{_EXAMPLE}).') from error
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
    """Return the source of ``path`` with the top-level names in ``overrides`` reassigned
    (knobs, and ``_base_`` for a copy whose bases are copies too)."""
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
    _check_config_file(path)
    seen.append(path)
    for base in _base_files(path, _parse(path)):
        if base not in seen:
            _collect(base, seen)
    return seen


# Top-level keys that mean something without appearing in a config: the Runner's arguments and
# the keys vidreg's tools read.
_TOP_LEVEL_KEYS = frozenset(inspect.signature(Runner.__init__).parameters) - {'self'} | {
    'runner_type', 'find_unused_parameters', 'partial_load', 'tensorboard'}


def _check_option(cfg: Config, key: str, knobs: Iterable[str]) -> None:
    """Raise :class:`ConfigError` if ``--cfg-options key=...`` would be a typo."""
    parts = key.split('.')
    where = f'--cfg-options {key}=... ({cfg.filename})'
    if len(parts) == 1:
        if key in cfg or key in _TOP_LEVEL_KEYS:
            return
        raise ConfigError(f'{where}: {key!r} is neither a knob nor a key of this config.'
                          f'{did_you_mean(key, [*knobs, *cfg.keys()])} Knobs: '
                          f'{", ".join(sorted(knobs))}; nested keys are dotted, e.g. '
                          f'model.head.dropout=0.5.')
    node: Any = cfg._cfg_dict.to_dict()
    for depth, part in enumerate(parts):
        if isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        if depth == 0:
            raise ConfigError(f'{where}: this config has no key {part!r}.'
                              f'{did_you_mean(part, cfg.keys())}')
        parent = '.'.join(parts[:depth])
        problem = argument_error(parent, part, node) if isinstance(node, dict) else (
            f'{parent} is not a dict')
        if problem is None:
            return  # a new argument the component takes, or a new key of an untyped dict
        raise ConfigError(f'{where}: {parent} has no key {part!r}: {problem}')


def _checked_knob_options(cli: Dict[str, Any], files: List[str],
                          knobs_by_file: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """``cli`` (the knobs of ``--cfg-options``) checked against each knob's literal in the file
    nearest the leaf, and the other knobs' values against their ranges
    (:mod:`vidreg.knob_values`); numbers given to text knobs become text."""
    literals: Dict[str, Any] = {}
    for file in files:  # leaf first: the nearest file's value is the one used
        for name, value in knobs_by_file[file].items():
            literals.setdefault(name, (value, file))
    for name, (value, file) in literals.items():
        problem = None if name in cli else knob_value_problem(name, value)
        if problem is not None:
            raise ConfigError(f'{file}: {problem}.')
    checked = {}
    for name, value in cli.items():
        literal, file = literals[name]
        checked[name] = coerce_knob_value(value, literal)
        problem = knob_value_problem(name, checked[name], literal)
        if problem is not None:
            raise ConfigError(f'--cfg-options {name}={value}: {problem} ({osp.relpath(file)} '
                              f'has {name} = {literal!r}).')
    return checked


def _dict_knob_entries(options: Dict[str, Any], files: List[str],
                       knobs_by_file: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """``KNOB.ENTRY=VALUE`` for a knob whose literal is a dict (``fusion_weights.flow=2``)
    -> the knob, that entry set: a dict knob is rewritten everywhere it is used like any
    other (merging the entry into the evaluated config would miss those places)."""
    literals: Dict[str, Any] = {}
    for file in files:  # leaf first: the nearest file's value is the one used
        for name, value in knobs_by_file[file].items():
            literals.setdefault(name, value)
    result: Dict[str, Any] = {}
    for key, value in options.items():
        name, _, entry = key.partition('.')
        if entry and '.' not in entry and isinstance(literals.get(name), dict):
            result[name] = {**result.get(name, literals[name]), entry: value}
        else:
            result[key] = value
    return result


def load_config(path: str, options: Optional[Dict[str, Any]] = None) -> Config:
    """Load a config, applying ``options`` (``--cfg-options``) as described above.

    Args:
        path: The leaf config file.
        options: ``{key: value}``; keys without dots that are knobs of any file are
            rewritten in the sources (``KNOB.ENTRY`` sets an entry of a dict knob), the
            rest merged with ``Config.merge_from_dict``.

    Returns:
        The config; ``cfg.filename`` is ``path``.
    """
    path = osp.abspath(path)
    options = dict(options or {})
    files = _collect(path)
    knobs_by_file = {f: find_knobs(_parse(f)) for f in files}
    all_knobs = set().union(*knobs_by_file.values())
    options = _dict_knob_entries(options, files, knobs_by_file)
    cli = _checked_knob_options(
        {k: v for k, v in options.items() if '.' not in k and k in all_knobs},
        files, knobs_by_file)
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
            def mirror(file: str) -> str:
                return osp.join(tmp, file.lstrip(os.sep))

            # Copy each file to tmp + its absolute path, its _base_ pointing at the copies
            # (relative paths would find them, absolute ones the originals).
            for file in files:
                bases = _base_files(file, _parse(file))
                os.makedirs(osp.dirname(mirror(file)), exist_ok=True)
                with open(mirror(file), 'w', encoding='utf-8') as f:
                    f.write(_rewrite(file, {**overrides, **({'_base_': [
                        mirror(base) for base in bases]} if bases else {})}))
            cfg = _from_file(mirror(path), path, mirror=tmp)
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
    return (f'{RESOLVED_CONFIG_HEADER}{cfg.filename}\n'
            f'# (_base_ files merged, knobs and --cfg-options applied everywhere). Every value is\n'
            f'# written out, so a knob edited here changes only its own line: to change a knob,\n'
            f'# pass --cfg-options NAME=VALUE with the source config.\n'
            f'{cfg.pretty_text}')
