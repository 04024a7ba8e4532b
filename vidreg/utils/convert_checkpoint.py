"""Convert another project's checkpoint into a vidreg backbone checkpoint (convert_weights).

Every way it can go wrong is a :class:`CheckpointError` (the weights) or a :class:`ConfigError`
(``--backbone``) that names the file and says what to do, raised before anything is written.
"""
import ast
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, get_args

import torch
from torch import Tensor

from vidreg.config import ConfigError
from vidreg.fileio import OutputFile, atomic_path, check_output_files
from vidreg.registry import MODELS

from .checkpoint import (
    CHECKSUM_KEY,
    CheckpointError,
    compare_state_dicts,
    short_list,
    state_dict_checksum,
)
from .pretrained import read_pretrained_state_dict
from .setup_env import register_all_modules
from .weight_conversion import Source, convert_state_dict, infer_backbone

__all__ = ['ConvertedWeights', 'parse_backbone', 'convert_checkpoint', 'convert_weights']


class ConvertedWeights(NamedTuple):
    """What :func:`convert_checkpoint` returns."""

    checkpoint: Dict[str, object]  # state_dict, meta, checksum: what DST holds
    backbone: dict  # the backbone config the weights fit
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
    for source in get_args(Source):
        try:
            converted, _ = convert_state_dict(foreign, source)
            if converted:
                infer_backbone(converted, source)
                fitting.append(source)
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


def _what_fits(state_dict: Dict[str, Tensor], foreign: Dict[str, Tensor], source: Source) -> str:
    """A hint for weights that do not fit the backbone asked for: the one they fit, or --from."""
    fitting = _sources_that_fit(foreign)
    if source in fitting:
        return (f'leave out --backbone: they fit {infer_backbone(state_dict, source)}, '
                f'inferred from the shapes')
    if fitting:
        return f'check --from: its tensors fit --from {" or --from ".join(fitting)}'
    return 'check --backbone and --from'


def _kept_tensors(state_dict: Dict[str, Tensor], backbone_cfg: dict, src: str,
                  foreign: Dict[str, Tensor], source: Source) -> ConvertedWeights:
    """The tensors the backbone has; refused when shapes differ or too few keys match."""
    own = _build_backbone(backbone_cfg).state_dict()
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
    kept = {key: state_dict[key] for key in matched}
    return ConvertedWeights(checkpoint=dict(state_dict=kept), backbone=backbone_cfg,
                            foreign_tensors=len(foreign), missing=differences.missing,
                            unexpected=differences.unexpected)


def convert_checkpoint(src: str, source: Source, backbone: Optional[str] = None
                       ) -> ConvertedWeights:
    """Read SRC, map its keys from ``source``'s layout and check them against the backbone.

    Args:
        src: A checkpoint path, or a torchvision weights name (local torch cache only).
        source: The layout of SRC, see :func:`~vidreg.utils.weight_conversion.convert_state_dict`.
        backbone: ``--backbone`` as text (see :func:`parse_backbone`); ``None`` infers the
            backbone from the tensor shapes.

    Returns:
        The checkpoint to write (only the tensors the backbone has, ``meta`` with the
        backbone and the ``VideoDataPreprocessor`` the weights expect, a checksum) and the
        key differences.

    Raises:
        ConfigError: ``backbone`` is not a buildable backbone config.
        CheckpointError: SRC cannot be read, is not in ``source``'s layout, or does not fit
            the backbone (a shape differs, or fewer than half of the backbone's tensors, or
            of SRC's converted tensors, match).
    """
    register_all_modules()
    backbone_cfg = None if backbone is None else parse_backbone(backbone)
    try:
        foreign = read_pretrained_state_dict(src)
    except ValueError as error:  # an unknown torchvision weights name
        raise CheckpointError(str(error)) from None
    state_dict, norm = convert_state_dict(foreign, source)
    if not state_dict:
        raise _wrong_layout(src, source, foreign, 'no tensor has its key names')
    if backbone_cfg is None:
        try:
            backbone_cfg = infer_backbone(state_dict, source)
        except KeyError as error:
            raise _wrong_layout(src, source, foreign, f'no tensor {error}') from None
        except ValueError as error:
            raise CheckpointError(f'{src!r}: {error}') from None
    converted = _kept_tensors(state_dict, backbone_cfg, src, foreign, source)
    kept = converted.checkpoint['state_dict']
    meta = dict(converted_from=source, src=str(src), backbone=backbone_cfg,
                data_preprocessor=dict(type='VideoDataPreprocessor', **norm))
    return converted._replace(checkpoint={'state_dict': kept, 'meta': meta,
                                          CHECKSUM_KEY: state_dict_checksum(kept)})


def convert_weights(src: str, dst: str, source: Source, backbone: Optional[str] = None, *,
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
    kept = converted.checkpoint['state_dict']
    print(f'backbone: {converted.backbone}')
    print(f'converted {len(kept)} tensors ({converted.foreign_tensors} in {src})')
    print(f'missing keys ({len(converted.missing)}): {short_list(converted.missing) or "none"}')
    print(f'unexpected keys ({len(converted.unexpected)}): '
          f'{short_list(converted.unexpected) or "none"}')
    with atomic_path(dst) as tmp:
        torch.save(converted.checkpoint, tmp)
    print(f'wrote {dst}; expected input: '
          f'data_preprocessor={converted.checkpoint["meta"]["data_preprocessor"]}')
    return converted
