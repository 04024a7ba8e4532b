"""Fuse separately trained stream checkpoints into one two-stream checkpoint.

A config builds a ``LateFusionRecognizer``; every one of its streams is filled from the checkpoint
given for it: a run of that stream alone (``streams_used=('rgb',)``: keys ``streams.rgb.*``; a
checkpoint whose only stream has another name, or a jointly trained one that has a stream of this
name, works too) or a plain ``Recognizer`` checkpoint (``backbone.*``, ``temporal.*``,
``head.*``). Every tensor of the stream must be there with its shape, and nothing else; the
stream config stored with it must read the same input with the same module types (other
differences, e.g. dropout, are notes); the class names must agree. The fusion head keeps the
config's initialisation. The output is a checkpoint as ``tools/train.py`` writes it (resolved
config and class names in ``meta``, checksummed, written atomically). ``tools/fuse_checkpoints.py``
is the command line.
"""
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from rich.console import Console
from rich.table import Table

from vidreg.apis.init_model import checkpoint_classes, checkpoint_config
from vidreg.config import ConfigError
from vidreg.engine.entrypoint import load_run_config
from vidreg.fileio import OutputFile, atomic_path, check_output_files
from vidreg.models import build_model
from vidreg.models.recognizers import LateFusionRecognizer
from vidreg.utils.checkpoint import (
    CHECKSUM_KEY,
    CheckpointError,
    compare_state_dicts,
    load_checkpoint_file,
    short_list,
    state_dict_checksum,
)

__all__ = ['Fused', 'stream_state', 'config_differences', 'fuse_checkpoints',
           'fuse_checkpoint_files', 'describe_head']

STREAMS_PREFIX = 'streams.'
# A plain Recognizer's keys that a stream of a LateFusionRecognizer does not use.
_NOT_THE_STREAMS = ('data_preprocessor', 'init_cfg')
_UNSET = '<unset>'
# Stream config keys that must agree when both configs set them: with the same tensors, another
# input or module type (and any key ending in '.type') computes something else.
_MUST_AGREE = ('input_key', 'type')


class Fused(NamedTuple):
    """What :func:`fuse_checkpoints` returns."""

    checkpoint: Dict[str, Any]  # state_dict, its checksum, meta (cfg, dataset_meta, fused_from)
    model: LateFusionRecognizer  # filled with the streams' weights
    rows: List[Tuple[str, ...]]  # per stream: name, checkpoint, taken from, epoch, tensors
    notes: List[str]  # per stream whose stored config differs from the fused config's


def stream_state(checkpoint: Dict[str, Any], path: str, name: str
                 ) -> Tuple[Dict[str, torch.Tensor], str]:
    """The weights of stream ``name`` in a checkpoint, keyed as in a ``Recognizer``.

    Args:
        checkpoint: A loaded checkpoint (or plain state dict).
        path: Its file, for messages.
        name: The stream of the fused model it is for.

    Returns:
        The state dict (``backbone.*``, ``temporal.*``, ``head.*``) and where in the
        checkpoint it was found (``'streams.<src>'`` or ``'Recognizer'``).

    Raises:
        CheckpointError: The checkpoint holds several streams and none is named ``name``.
    """
    state = checkpoint.get('state_dict', checkpoint)
    found = sorted({k[len(STREAMS_PREFIX):].split('.', 1)[0] for k in state
                    if k.startswith(STREAMS_PREFIX)})
    if not found:
        return dict(state), 'Recognizer'
    if name not in found and len(found) > 1:
        raise CheckpointError(
            f'{path!r} holds the streams {short_list(found)}, none named {name!r}: pass a '
            f'checkpoint of one stream (trained with streams_used=(...,)), or one with a '
            f'stream {name!r}.')
    source = name if name in found else found[0]
    prefix = f'{STREAMS_PREFIX}{source}.'
    # The rest (the fusion head of a one-stream run, other streams) is not this stream's.
    return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}, prefix[:-1]


def _flat(value: Any, prefix: str = '') -> Dict[str, Any]:
    """A nested config dict as ``{'backbone.channels': (16, 32), ...}``."""
    if not isinstance(value, dict):
        return {prefix: value}
    return {k: v for key, item in value.items()
            for k, v in _flat(item, f'{prefix}.{key}' if prefix else str(key)).items()}


def config_differences(checkpoint: Dict[str, Any], found: str, stream_cfg: dict
                       ) -> Dict[str, Tuple[Any, Any]]:
    """Where the stream's config stored in its checkpoint differs from the fused config's.

    Tensor shapes do not show everything: the input a stream reads, a parameter-free
    module (temporal pooling), dropout.

    Args:
        checkpoint: The stream's checkpoint (``meta.cfg`` is read; none: no differences).
        found: Where the stream was found in it (see :func:`stream_state`).
        stream_cfg: The fused config's ``model.streams[name]``.

    Returns:
        Dotted key (``'temporal.type'``) -> (checkpoint value, config value); a key
        set on one side only (the other may take the default) has ``'<unset>'``.
    """
    try:
        model = checkpoint_config(checkpoint, '').model
    except CheckpointError:
        return {}
    stored = model.get('streams', {}).get(found[len(STREAMS_PREFIX):]) if found.startswith(
        STREAMS_PREFIX) else model
    if not isinstance(stored, dict):
        return {}
    ours, theirs = _flat(stream_cfg), _flat(stored)
    keys = [key for key in sorted({*ours, *theirs}) if not key.startswith(_NOT_THE_STREAMS)]
    return {key: (theirs.get(key, _UNSET), ours.get(key, _UNSET))
            for key in keys if ours.get(key, _UNSET) != theirs.get(key, _UNSET)}


def agreed_dataset_meta(metas: Dict[str, Tuple[str, Dict[str, Any]]]) -> Dict[str, Any]:
    """The streams' ``meta.dataset_meta``, checked to name the same classes.

    Args:
        metas: Stream name -> (checkpoint path, its loaded checkpoint).

    Raises:
        CheckpointError: Two checkpoints name different classes (both are named).
    """
    first: Optional[Tuple[str, Tuple[str, ...]]] = None
    dataset_meta: Dict[str, Any] = {}
    for path, checkpoint in metas.values():
        classes = checkpoint_classes(checkpoint)
        if classes is None:
            continue
        if first is None:
            first = (path, classes)
            dataset_meta = dict((checkpoint.get('meta') or {}).get('dataset_meta') or {})
        elif classes != first[1]:
            raise CheckpointError(
                f'{first[0]!r} was trained on the classes {short_list(first[1])}, {path!r} on '
                f'{short_list(classes)}: fuse streams trained on the same classes, in the same '
                f'order.')
    return dataset_meta


def fuse_checkpoints(cfg: Config, sources: Dict[str, str]) -> Fused:
    """Build ``cfg.model`` and fill each stream from its checkpoint.

    Args:
        cfg: A resolved config (:func:`vidreg.config.load_config`) of a ``LateFusionRecognizer``.
        sources: Stream name -> checkpoint file; every stream of the model.

    Returns:
        The fused checkpoint, the model, a summary row per stream and notes on
        stream configs that differ from ``cfg``'s (see :func:`config_differences`).

    Raises:
        ConfigError: The config's model is not a ``LateFusionRecognizer``, or the streams
            given are not exactly its streams.
        CheckpointError: A checkpoint does not fit its stream (keys named) or the
            checkpoints name different classes.
    """
    model = build_model(cfg)
    where = cfg.filename or 'the config'
    if not isinstance(model, LateFusionRecognizer):
        raise ConfigError(f'{where} builds a {type(model).__name__}, not a '
                          f'LateFusionRecognizer: there are no streams to fuse.')
    missing = [name for name in model.streams if name not in sources]
    unknown = [name for name in sources if name not in model.streams]
    if missing or unknown:
        raise ConfigError(
            f'{where} has the streams {short_list(model.streams)}; '
            + (f'give a checkpoint for {short_list(missing)} ' if missing else '')
            + (f'{"and " if missing else ""}drop {short_list(unknown)} (no such stream) '
               if unknown else '')
            + '(--stream NAME=CHECKPOINT, one per stream).')
    loaded, rows, notes = {}, [], []
    for name, stream in model.streams.items():
        path = sources[name]
        checkpoint = load_checkpoint_file(path)
        weights, found = stream_state(checkpoint, path, name)
        differences = compare_state_dicts(stream.state_dict(), weights)
        if differences:
            raise CheckpointError(
                f'{path!r} ({found}) does not fit the stream {name!r} of {where}: '
                f'{differences.describe()}. Give the checkpoint of a run of this stream with '
                f'this config (e.g. --cfg-options "streams_used=({name!r},)").')
        stream.load_state_dict(weights, strict=True)
        changes = config_differences(checkpoint, found, cfg.model.streams[name])
        if changes:
            listed = short_list(f'{key}: {theirs!r} vs {ours!r}'
                                for key, (theirs, ours) in changes.items())
            what = (f'{path!r} ({found}) was trained as another stream than {name!r} of '
                    f'{where} (checkpoint vs config): {listed}')
            if any((key in _MUST_AGREE or key.endswith('.type')) and _UNSET not in values
                   for key, values in changes.items()):
                raise CheckpointError(f'{what}. Give the checkpoint of this stream.')
            notes.append(what)
        loaded[name] = (path, checkpoint)
        epoch = (checkpoint.get('meta') or {}).get('epoch')
        rows.append((name, path, found, '' if epoch is None else str(epoch), str(len(weights))))
    state_dict = model.state_dict()
    checkpoint = dict(
        meta=dict(cfg=cfg.pretty_text, dataset_meta=agreed_dataset_meta(loaded),
                  fused_from={name: path for name, (path, _) in loaded.items()}),
        state_dict=state_dict)
    checkpoint[CHECKSUM_KEY] = state_dict_checksum(state_dict)
    return Fused(checkpoint, model, rows, notes)


def describe_head(model: LateFusionRecognizer) -> str:
    """One line on the fusion head the fused checkpoint carries."""
    head = model.head
    weights = ':'.join(f'{w:g}' for w in getattr(head, 'weights', ()))
    if getattr(head, 'mode', None) == 'average':
        return (f'fusion head: average of the streams\' softmax scores, weights {weights} '
                f'(from the config; nothing to train)')
    if getattr(head, 'mode', None) == 'learned':
        return (f'fusion head: learned, initialised as the config says (the weighted mean, '
                f'{weights}); train it alone with tools/train.py CONFIG --cfg-options '
                f'load_from=FUSED.pth freeze_streams=True')
    return f'fusion head: {type(head).__name__} as the config initialises it (not trained)'


def print_fused(fused: Fused, out: str, console: Console) -> None:
    """The table of the streams, the fusion head, the classes and the notes."""
    table = Table(title=f'{out}: {len(fused.rows)} streams fused')
    for column in ('stream', 'checkpoint', 'taken from', 'epoch', 'tensors'):
        table.add_column(column, justify='right' if column in ('epoch', 'tensors') else 'left')
    for row in fused.rows:
        table.add_row(*row)
    console.print(table)
    classes = fused.checkpoint['meta']['dataset_meta'].get('classes')
    console.print(describe_head(fused.model), markup=False, highlight=False)
    console.print(f'classes: {short_list(classes)}' if classes else
                  'classes: none stored in the stream checkpoints (predictions show indices)',
                  markup=False, highlight=False)
    for note in fused.notes:
        console.print(f'note: {note}', markup=False, highlight=False)


def fuse_checkpoint_files(config: str, sources: Dict[str, str], out: str, *, force: bool = False,
                          cfg_options: Optional[dict] = None, plugins: Sequence[str] = (),
                          console: Optional[Console] = None) -> Fused:
    """Fuse the stream checkpoints of ``config``'s model into ``out`` and print a summary.

    Args:
        config: A config of a ``LateFusionRecognizer``.
        sources: Stream name -> checkpoint file; every stream of the model.
        out: The fused checkpoint to write (``.pth``), atomically.
        force: Replace ``out`` if it exists (an input of the run never).
        cfg_options, plugins: As for :func:`vidreg.engine.entrypoint.load_run_config`.
        console: Where the summary goes (default: the terminal).

    Returns:
        What :func:`fuse_checkpoints` returns.

    Raises:
        OutputPathError: ``out`` exists (without ``force``), is a folder or an input; checked
            before anything is read.
        ConfigError, CheckpointError: See :func:`fuse_checkpoints`.
    """
    check_output_files([OutputFile(out, '--out', 'fused.pth')],
                       inputs=[config, *sources.values()], force=force)
    cfg = load_run_config(config, cfg_options=cfg_options, plugins=plugins)
    fused = fuse_checkpoints(cfg, sources)
    with atomic_path(out) as tmp:
        torch.save(fused.checkpoint, tmp)
    print_fused(fused, out, console or Console())
    return fused
