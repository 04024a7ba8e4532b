"""Build a recognizer for inference from a checkpoint alone (config and classes inside)."""
import os.path as osp
import sys
from typing import Any, Dict, Optional, Tuple

import torch
from mmengine.config import Config

from vidreg.config import load_config
from vidreg.config_upgrade import upgrade_checkpoint, upgrade_config
from vidreg.models import build_model
from vidreg.models.heads import ClsHead
from vidreg.plugins import REPO_ROOT, import_custom_imports
from vidreg.utils import CheckpointError, load_checkpoint_file, register_all_modules
from vidreg.utils.registry_check import check_config_types

__all__ = ['init_model', 'checkpoint_config', 'checkpoint_classes']


def checkpoint_config(checkpoint: Dict[str, Any], path: str) -> Config:
    """The config a checkpoint was trained with, as stored in it.

    mmengine's Runner writes ``meta['cfg']``, the text of the config it ran: for
    vidreg the resolved config (knobs and ``--cfg-options`` already applied by
    :func:`vidreg.config.load_config`), so it rebuilds the same model and test
    pipeline. What older versions wrote differently is mapped by
    :func:`vidreg.config_upgrade.upgrade_config`.

    Raises:
        CheckpointError: The checkpoint holds no config (a plain state dict, or
            one written outside a Runner); the message says to pass the config.
    """
    text = (checkpoint.get('meta') or {}).get('cfg')
    if not isinstance(text, str) or not text.strip():
        raise CheckpointError(
            f'{path!r} holds no config (meta.cfg): it was not written by the training Runner, or '
            f'predates configs in checkpoints. Pass the config it was trained with: --config '
            f'CONFIG (tools/infer.py, tools/export.py) or init_model(checkpoint, config=CONFIG).')
    return upgrade_config(Config.fromstring(text, file_format='.py'))


def checkpoint_classes(checkpoint: Dict[str, Any]) -> Optional[Tuple[str, ...]]:
    """The training set's class names (``meta.dataset_meta.classes``), or ``None``."""
    classes = ((checkpoint.get('meta') or {}).get('dataset_meta') or {}).get('classes')
    return None if classes is None else tuple(str(name) for name in classes)


def init_model(checkpoint: str, *, config: Optional[str] = None,
               cfg_options: Optional[dict] = None,
               device: str = 'cpu') -> torch.nn.Module:
    """Load a trained recognizer, ready for :func:`vidreg.apis.inference`.

    The network is built from the config and filled with the checkpoint's
    weights; ``init_weights`` is not called, so no pretrained file is needed.

    Args:
        checkpoint: A ``.pth`` file written by ``tools/train.py``.
        config: A config file to use instead of the one stored in the checkpoint
            (required for checkpoints without one).
        cfg_options: Overrides, as ``--cfg-options`` (knobs reach every use).
        device: ``'cpu'``, ``'cuda'``, ``'cuda:1'``...

    Returns:
        The model in eval mode, with ``model.cfg`` (the config) and
        ``model.dataset_meta`` (``classes`` and ``task`` of the training set).
    """
    if REPO_ROOT not in sys.path:
        sys.path.insert(0, REPO_ROOT)  # configs name plugins as `plugins.<name>`
    register_all_modules()
    state = upgrade_checkpoint(load_checkpoint_file(checkpoint))
    if config is not None:
        cfg = load_config(config, cfg_options)
    else:
        cfg = checkpoint_config(state, checkpoint)
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
        import_custom_imports(cfg.get('custom_imports'))
    check_config_types(cfg)
    model = build_model(cfg)
    weights = state.get('state_dict', state)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    if missing or unexpected:
        raise CheckpointError(
            f'{osp.basename(checkpoint)} does not fit the model of its config: missing '
            f'{sorted(missing)[:5]}, unexpected {sorted(unexpected)[:5]}. Pass the config it was '
            f'trained with (--config).')
    meta = dict(((state.get('meta') or {}).get('dataset_meta') or {}))
    classes = checkpoint_classes(state)
    if classes is not None:
        meta['classes'] = classes
    meta.setdefault('task', getattr(model.head, 'task', None) or (
        'classification' if isinstance(model.head, ClsHead) else 'regression'))
    model.cfg = cfg
    model.dataset_meta = meta
    return model.to(device).eval()

