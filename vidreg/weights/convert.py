"""Convert another project's checkpoint into a vidreg checkpoint (convert_weights).

A source with a classifier gives a complete recognizer checkpoint (backbone and head weights,
``meta['cfg']``, the class names when known, the input normalisation): ``tools/infer.py`` and
``tools/export.py`` take it alone, and a backbone's ``pretrained`` takes its backbone part. A
source without one gives the backbone's tensors alone. Every way it can go wrong is a
:class:`CheckpointError` (the weights) or a :class:`ConfigError` (``--backbone``) that names
the file and says what to do, raised before anything is written.
"""
import ast
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from torch import Tensor

from vidreg.config import ConfigError
from vidreg.fileio import OutputFile, atomic_path, check_output_files
from vidreg.registry import MODELS
from vidreg.utils.checkpoint import (
    CHECKSUM_KEY,
    CheckpointError,
    compare_state_dicts,
    short_list,
    state_dict_checksum,
)
from vidreg.utils.pretrained import read_pretrained_state_dict
from vidreg.utils.setup_env import register_all_modules

from .complete_checkpoint import classes_meta, recognizer_config, recognizer_state_dict
from .source import SourceModel
from .sources import SOURCES, get_source

__all__ = ['ConvertedWeights', 'parse_backbone', 'convert_checkpoint', 'convert_weights']


class ConvertedWeights(NamedTuple):
    """What :func:`convert_checkpoint` returns."""

    checkpoint: Dict[str, object]  # state_dict, meta, checksum: what DST holds
    backbone: dict  # the backbone config the weights fit
    complete: bool  # backbone and head with meta.cfg (a recognizer), else the backbone alone
    foreign_tensors: int  # tensors in SRC
    missing: List[str]  # backbone tensors SRC does not provide (left as initialised)
    unexpected: List[str]  # converted tensors the backbone has no place for (dropped)


def parse_backbone(text: str) -> dict:
    """``"dict(type='C3D', norm=True)"`` or ``"{'type': 'C3D'}"`` -> a dict, evaluating no code.

    Raises:
        ConfigError: Not a dict literal with a ``type``.
    """
    hint = ("--backbone takes a dict literal with a type, e.g. \"dict(type='VideoResNet', "
            "arch='r3d', depth=18)\"")
    try:
        node = ast.parse(text, mode='eval').body
        if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict' \
                and not node.args:
            value = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
        else:
            value = ast.literal_eval(node)
    except SyntaxError as error:
        raise ConfigError(f'{hint}; {text!r} is not Python ({error.msg})') from None
    except (ValueError, TypeError):  # literal_eval met a name or a call
        raise ConfigError(f'{hint}; {text!r} holds something other than literals (quote the '
                          f"strings: type='C3D')") from None
    if not isinstance(value, dict) or not isinstance(value.get('type'), str):
        raise ConfigError(f'{hint}; got {text!r}')
    return value


def _build_backbone(cfg: dict) -> torch.nn.Module:
    if MODELS.get(cfg['type']) is None:
        raise ConfigError(f"--backbone: no model type {cfg['type']!r} is registered (python "
                          f'tools/list_components.py lists them)')
    try:
        return MODELS.build(dict(cfg, pretrained=None))
    except (TypeError, ValueError) as error:
        raise ConfigError(f'--backbone {cfg} cannot be built: {error}') from None


def _sources_that_fit(foreign: Dict[str, Tensor]) -> List[str]:
    """The ``--from`` layouts whose key names and shapes these tensors have."""
    fitting = []
    for name, source in SOURCES.items():
        try:
            converted = source.convert(foreign, '').backbone
            if converted:
                source.infer_backbone(converted)
                fitting.append(name)
        except (KeyError, ValueError, IndexError):
            continue
    return fitting


def _wrong_layout(src: str, source: str, foreign: Dict[str, Tensor], reason: str
                  ) -> CheckpointError:
    fitting = _sources_that_fit(foreign)
    hint = (f'its tensors fit --from {" or --from ".join(fitting)}' if fitting else
            f'its keys are {short_list(foreign)}')
    return CheckpointError(f'{src!r} does not look like a --from {source} checkpoint ({reason}); '
                           f'{hint}.')


def _what_fits(state_dict: Dict[str, Tensor], foreign: Dict[str, Tensor], source: str) -> str:
    """A hint for weights that do not fit the backbone asked for: the one they fit, or --from."""
    fitting = _sources_that_fit(foreign)
    if source in fitting:
        return (f'leave out --backbone: they fit {get_source(source).infer_backbone(state_dict)}, '
                f'inferred from the shapes')
    if fitting:
        return f'check --from: its tensors fit --from {" or --from ".join(fitting)}'
    return 'check --backbone and --from'


def _kept_tensors(state_dict: Dict[str, Tensor], backbone: torch.nn.Module, backbone_cfg: dict,
                  src: str, foreign: Dict[str, Tensor], source: str
                  ) -> Tuple[Dict[str, Tensor], List[str]]:
    """The tensors the backbone has and the backbone keys missing; refused when shapes differ
    or too few keys match."""
    own = backbone.state_dict()
    differences = compare_state_dicts(own, state_dict)
    if differences.mismatched:
        raise CheckpointError(f'{src}: shapes do not fit {backbone_cfg}: '
                              f'{short_list(differences.mismatched)}')
    matched = [key for key in state_dict if key in own]
    if 2 * len(matched) < len(own) or 2 * len(matched) < len(state_dict):
        raise CheckpointError(
            f'{src!r} does not fit {backbone_cfg}: {len(matched)} of its {len(state_dict)} '
            f'converted tensors match the backbone\'s {len(own)} (matched: '
            f'{short_list(matched) or "none"}; missing: {short_list(differences.missing)}; '
            f'unused: {short_list(differences.unexpected)}). Nothing was written; '
            f'{_what_fits(state_dict, foreign, source)}.')
    return {key: state_dict[key] for key in matched}, differences.missing


def _complete_checkpoint(src: str, backbone: torch.nn.Module, backbone_cfg: dict,
                         kept: Dict[str, Tensor], converted: SourceModel) -> dict:
    """The recognizer checkpoint of a source with a classifier (its fc reads the backbone's D:
    the recognizer averages the features, as every source's classifier does)."""
    weight = converted.head['fc.weight']
    if weight.shape[1] != backbone.out_channels:
        raise CheckpointError(f'{src}: the classifier takes {weight.shape[1]} features, but '
                              f'{backbone_cfg} gives {backbone.out_channels}; give the backbone '
                              f'that fits (--backbone).')
    cfg = recognizer_config(backbone_cfg, converted)
    meta = dict(cfg=cfg.pretty_text, dataset_meta=classes_meta(converted.classes))
    return dict(state_dict=recognizer_state_dict(kept, converted.head), meta=meta)


def convert_checkpoint(src: str, source: str, backbone: Optional[str] = None
                       ) -> ConvertedWeights:
    """Read SRC, map its keys from ``source``'s layout and check them against the model.

    Args:
        src: A checkpoint path, or a torchvision weights name (local torch cache only).
        source: The layout of SRC, a name of :data:`vidreg.weights.sources.SOURCES`.
        backbone: ``--backbone`` as text (see :func:`parse_backbone`); ``None`` infers the
            backbone from the tensor shapes.

    Returns:
        The checkpoint to write and the key differences. With a classifier in SRC: the
        recognizer's ``backbone.*`` and ``head.*`` tensors, ``meta`` with ``cfg`` (the model
        and a test pipeline) and ``dataset_meta`` (task, class names when known); without
        one: the backbone's tensors. Both have ``meta`` with the backbone and the
        ``VideoDataPreprocessor`` the weights expect, and a checksum.

    Raises:
        ConfigError: ``backbone`` is not a buildable backbone config.
        CheckpointError: SRC cannot be read, is not in ``source``'s layout, or does not fit
            the backbone (a shape differs, or fewer than half of the backbone's tensors, or
            of SRC's converted tensors, match), or its classifier does not fit the backbone.
    """
    register_all_modules()
    backbone_cfg = None if backbone is None else parse_backbone(backbone)
    weight_source = get_source(source)
    try:
        foreign = (weight_source.read or read_pretrained_state_dict)(src)
    except ValueError as error:  # an unknown torchvision weights name
        raise CheckpointError(str(error)) from None
    try:
        converted = weight_source.convert(foreign, str(src))
    except KeyError as error:
        raise _wrong_layout(src, source, foreign, f'no tensor {error}') from None
    except ValueError as error:  # the source's layout, in a variant it does not support
        raise CheckpointError(f'{src!r}: {error}') from None
    if not converted.backbone:
        raise _wrong_layout(src, source, foreign, 'no tensor has its key names')
    if backbone_cfg is None and converted.backbone_cfg is not None:
        backbone_cfg = converted.backbone_cfg
    if backbone_cfg is None:
        try:
            backbone_cfg = weight_source.infer_backbone(converted.backbone)
        except KeyError as error:
            raise _wrong_layout(src, source, foreign, f'no tensor {error}') from None
        except ValueError as error:
            raise CheckpointError(f'{src!r}: {error}') from None
    built = _build_backbone(backbone_cfg)
    kept, missing = _kept_tensors(converted.backbone, built, backbone_cfg, src, foreign, source)
    checkpoint = (_complete_checkpoint(src, built, backbone_cfg, kept, converted)
                  if converted.head else dict(state_dict=kept, meta={}))
    checkpoint['meta'].update(
        converted_from=source, src=str(src), backbone=backbone_cfg,
        data_preprocessor=dict(type='VideoDataPreprocessor', **converted.data_preprocessor))
    checkpoint[CHECKSUM_KEY] = state_dict_checksum(checkpoint['state_dict'])
    unexpected = [k for k in converted.backbone if k not in kept]
    return ConvertedWeights(checkpoint=checkpoint, backbone=backbone_cfg,
                            complete=bool(converted.head), foreign_tensors=len(foreign),
                            missing=missing, unexpected=unexpected)


def convert_weights(src: str, dst: str, source: str, backbone: Optional[str] = None, *,
                    force: bool = False) -> ConvertedWeights:
    """:func:`convert_checkpoint` of ``src``, written atomically to ``dst``; print what was
    converted and the ``VideoDataPreprocessor`` the weights expect (for the config).

    Raises:
        OutputPathError: ``dst`` exists (without ``force``), is a folder or is ``src``; checked
            before anything is read.
        ConfigError, CheckpointError: See :func:`convert_checkpoint`.
    """
    check_output_files([OutputFile(dst, 'DST', osp.splitext(osp.basename(src))[0] + '.pth')],
                       inputs=[src], force=force)
    converted = convert_checkpoint(src, source, backbone)
    state = converted.checkpoint['state_dict']
    print(f'backbone: {converted.backbone}')
    print(f'converted {len(state)} tensors ({converted.foreign_tensors} in {src})')
    print(f'missing keys ({len(converted.missing)}): {short_list(converted.missing) or "none"}')
    print(f'unexpected keys ({len(converted.unexpected)}): '
          f'{short_list(converted.unexpected) or "none"}')
    with atomic_path(dst) as tmp:
        torch.save(converted.checkpoint, tmp)
    meta = converted.checkpoint['meta']
    if converted.complete:
        classes = meta['dataset_meta'].get('classes')
        print(f'wrote {dst}: a complete classifier ({len(state)} tensors with the head, '
              f'{"class names stored" if classes else "no class names"}); tools/infer.py '
              f'and tools/export.py take it alone, a backbone takes it as pretrained')
    else:
        print(f'wrote {dst}: backbone weights (the source has no classifier); use it as '
              f'pretrained')
    print(f'expected input: data_preprocessor={meta["data_preprocessor"]}')
    return converted
