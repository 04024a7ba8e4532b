"""Load pretrained weights into a module from a local file or a cached torchvision weights name.

Nothing is ever downloaded. A torchvision weights name such as
``'ResNet18_Weights.IMAGENET1K_V1'`` is looked up only in the local torch hub cache,
``torch.hub.get_dir()/checkpoints/<file name of the weights' URL>``, where
``torchvision`` itself would have stored it.
"""
import logging
import os
import re
from pathlib import Path
from typing import Callable, Dict, Optional, Type, Union
from urllib.parse import urlparse

import torch
from mmengine.logging import print_log
from torch import Tensor, nn
from torchvision.models import WeightsEnum, get_weight

from vidreg.config import ConfigError

from .checkpoint import CheckpointError, compare_state_dicts, load_checkpoint_file, short_list

__all__ = ['load_pretrained', 'read_pretrained_state_dict', 'resolve_pretrained']

# 'IMAGENET1K_V1' or 'ResNet18_Weights.IMAGENET1K_V1' (also 'DEFAULT').
_WEIGHTS_NAME = re.compile(r'^(?:[A-Za-z0-9_]+_Weights\.)?[A-Z][A-Z0-9_]*$')


def _weights_cache_file(weights: WeightsEnum) -> Path:
    file_name = os.path.basename(urlparse(weights.url).path)
    return Path(torch.hub.get_dir()) / 'checkpoints' / file_name


def _resolve_weights_name(name: str, weights_enum: Optional[Type[WeightsEnum]]) -> Path:
    if '.' in name:
        try:
            weights = get_weight(name)
        except (KeyError, ValueError) as error:
            raise ConfigError(f'Unknown torchvision weights name {name!r}.') from error
        if weights_enum is not None and not isinstance(weights, weights_enum):
            raise ConfigError(f'Weights {name!r} do not fit this model, which takes '
                             f'{weights_enum.__name__} (e.g. {weights_enum.__name__}.DEFAULT).')
    elif weights_enum is None:
        raise ConfigError(f'Weights name {name!r} is ambiguous here; give the full torchvision '
                         f"name, e.g. 'ResNet18_Weights.{name}', or a checkpoint path.")
    else:
        try:
            weights = weights_enum[name]
        except KeyError as error:
            raise ConfigError(f'{weights_enum.__name__} has no member {name!r}; known: '
                             f'{", ".join(weights_enum.__members__)}.') from error
    path = _weights_cache_file(weights)
    if not path.is_file():
        raise FileNotFoundError(
            f'Pretrained weights {weights} are loaded only from the local torch hub cache and '
            f'{str(path)!r} does not exist (vidreg never downloads). Download {weights.url} '
            f'to that path, set TORCH_HOME to a folder whose hub/checkpoints/ holds it, or pass '
            f'the checkpoint path itself as `pretrained`.')
    return path


def resolve_pretrained(source: Union[str, os.PathLike], *,
                       weights_enum: Optional[Type[WeightsEnum]] = None) -> Path:
    """Turn a checkpoint path or a torchvision weights name into an existing file.

    Args:
        source: A checkpoint path, or a torchvision weights name: the full
            ``'ResNet18_Weights.IMAGENET1K_V1'`` or, when ``weights_enum`` is
            given, just the member ``'IMAGENET1K_V1'`` / ``'DEFAULT'``. An existing
            file always wins over the name reading.
        weights_enum: The weights enum of the model being loaded; resolves member
            names and rejects other models' weights.

    Returns:
        Path of the checkpoint file.

    Raises:
        FileNotFoundError: The path does not exist, or the named weights are not
            in the torch hub cache. The message names the file looked for.
        ConfigError: An unknown or mismatching weights name.
    """
    path = Path(source).expanduser()
    if path.is_file():
        return path
    if path.exists():
        raise FileNotFoundError(f'Pretrained checkpoint {str(path)!r} is not a file.')
    if isinstance(source, str) and _WEIGHTS_NAME.match(source):
        return _resolve_weights_name(source, weights_enum)
    raise FileNotFoundError(f'Pretrained checkpoint {str(path)!r} does not exist '
                            f'(resolved to {str(path.resolve())!r}).')


def _extract_state_dict(checkpoint: dict, path: Path) -> Dict[str, Tensor]:
    for key in ('state_dict', 'model', 'module'):  # 'module': VideoMAE's releases
        if isinstance(checkpoint.get(key), dict):
            checkpoint = checkpoint[key]
            break
    state_dict = {k: v for k, v in checkpoint.items() if isinstance(v, Tensor)}
    if not state_dict:
        raise CheckpointError(f'{str(path)!r} holds no tensors: expected a state dict or a dict '
                              f"with a 'state_dict', 'model' or 'module' entry; top-level keys: "
                              f'{short_list(checkpoint)}.')
    return state_dict


def _select_prefix(state_dict: Dict[str, Tensor], prefix: Optional[str],
                   path: Path) -> Dict[str, Tensor]:
    if prefix:
        selected = {k[len(prefix):]: v for k, v in state_dict.items() if k.startswith(prefix)}
        if not selected:
            raise KeyError(f'No key of {str(path)!r} starts with prefix {prefix!r}; keys: '
                           f'{short_list(state_dict)}.')
        state_dict = selected
    if all(k.startswith('module.') for k in state_dict):  # saved from a DDP-wrapped model
        state_dict = {k[len('module.'):]: v for k, v in state_dict.items()}
    return state_dict


# The parts of a Recognizer's state dict (a trained or a converted complete checkpoint).
_RECOGNIZER_PARTS = ('backbone.', 'temporal.', 'head.', 'data_preprocessor.')


def _backbone_part(state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """The ``backbone.*`` tensors, prefix removed, of a Recognizer's state dict; else unchanged."""
    if any(k.startswith('backbone.') for k in state_dict) and all(
            k.startswith(_RECOGNIZER_PARTS) for k in state_dict):
        return {k[len('backbone.'):]: v for k, v in state_dict.items()
                if k.startswith('backbone.')}
    return state_dict


def load_pretrained(module: nn.Module, source: Union[str, os.PathLike], *,
                    prefix: Optional[str] = None, strict: bool = False,
                    weights_enum: Optional[Type[WeightsEnum]] = None,
                    convert: Optional[Callable[[Dict[str, Tensor]], Dict[str, Tensor]]] = None,
                    logger: Union[str, logging.Logger, None] = 'current'):
    """Load pretrained weights into ``module``.

    The checkpoint is read with ``torch.load(weights_only=True)`` (mmengine
    checkpoints included, through :func:`vidreg.utils.checkpoint.load_checkpoint_file`).
    It may be a plain state dict (torchvision format) or a dict holding one under
    ``'state_dict'`` or ``'model'``. Missing and unexpected keys are logged; keys
    whose shapes do not fit are an error.

    Args:
        module: Module to load into, in place.
        source: Checkpoint path or torchvision weights name, see
            :func:`resolve_pretrained`.
        prefix: Keep only the keys starting with this prefix, with the prefix
            removed. Without one, a Recognizer's checkpoint (every key under
            ``backbone.``, ``temporal.``, ``head.`` or ``data_preprocessor.``: a trained
            one, or a complete one from ``tools/convert_weights.py``) gives its
            ``backbone.`` part. A ``'module.'`` prefix on every key (DDP) is always removed.
        strict: Raise if any key is missing or unexpected.
        weights_enum: The module's torchvision weights enum, see :func:`resolve_pretrained`.
        convert: Applied to the state dict (after ``prefix``) before the shapes are
            compared, e.g. :func:`vidreg.models.layers.adapt_input_conv` for a first
            convolution with other input channels than the checkpoint's.
        logger: Where the key report goes (mmengine ``print_log`` argument).

    Returns:
        ``torch.nn.modules.module._IncompatibleKeys`` with ``missing_keys`` and
        ``unexpected_keys``.

    Raises:
        FileNotFoundError: See :func:`resolve_pretrained`.
        CheckpointError: The file is not a readable checkpoint or holds no tensors.
        KeyError: No key starts with ``prefix``.
        ConfigError: Shapes do not fit, or the weights name is wrong (user errors).
        ValueError: ``strict`` and keys differ.
    """
    path = resolve_pretrained(source, weights_enum=weights_enum)
    state_dict = _extract_state_dict(load_checkpoint_file(str(path)), path)
    state_dict = _select_prefix(state_dict, prefix, path)
    if not prefix:
        state_dict = _backbone_part(state_dict)
    if convert is not None:
        state_dict = convert(state_dict)
    missing, unexpected, mismatched = compare_state_dicts(module.state_dict(), state_dict)
    if mismatched:
        raise ConfigError(f'Shapes in {str(path)!r} do not fit {type(module).__name__}: '
                          f'{short_list(mismatched)}. Pass weights of this architecture (the '
                          f'same depth, width and input channels) as pretrained, or '
                          f'pretrained=None to train from scratch.')
    report = (f'{len(state_dict) - len(unexpected)} tensors for {type(module).__name__} from '
              f'{str(path)!r}; missing keys (left as initialised): '
              f'{short_list(missing) or "none"}; unexpected keys (ignored): '
              f'{short_list(unexpected) or "none"}.')
    if strict and (missing or unexpected):
        raise ValueError(f'strict=True and keys differ: {report}')
    result = module.load_state_dict(state_dict, strict=False)
    print_log(f'Loaded {report}', logger=logger,
              level=logging.WARNING if missing else logging.INFO)
    return result


def read_pretrained_state_dict(source: Union[str, os.PathLike], *, prefix: Optional[str] = None,
                               weights_enum: Optional[Type[WeightsEnum]] = None
                               ) -> Dict[str, Tensor]:
    """Read the tensors of a checkpoint as :func:`load_pretrained` does, without loading them.

    For callers that convert keys or shapes first (2D -> 3D inflation, foreign layouts).

    Args:
        source: Checkpoint path or torchvision weights name, see :func:`resolve_pretrained`.
        prefix: Keep only the keys with this prefix, stripped; ``'module.'`` (DDP) is
            always removed when every key has it.
        weights_enum: See :func:`resolve_pretrained`.

    Returns:
        The state dict.
    """
    path = resolve_pretrained(source, weights_enum=weights_enum)
    state_dict = _extract_state_dict(load_checkpoint_file(str(path)), path)
    return _select_prefix(state_dict, prefix, path)
