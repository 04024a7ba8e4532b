"""A tiny recognizer saved as the training Runner saves it (config and classes in meta)."""
import os
import os.path as osp
from typing import Literal, Optional, Union

import torch

from vidreg.config import load_config
from vidreg.plugins import REPO_ROOT
from vidreg.registry import MODELS
from vidreg.utils import register_all_modules

__all__ = ['TINY_CLASSES', 'tiny_config', 'write_tiny_checkpoint']

TINY_CLASSES = ('grow', 'shrink', 'brighten', 'darken')  # the first 4 synthetic classes


def tiny_config(*, temporal: Optional[dict] = None,
                task: Literal['classification', 'regression'] = 'classification',
                data_root: str = 'data/synthetic_tiny'):
    """The synthetic demo config shrunk to 4 classes, 4 frames of 32 px and a tiny network.

    Its data (generated on first use under ``data_root``) has 1/1/2 videos per class.
    """
    register_all_modules()
    cfg = load_config(osp.join(REPO_ROOT, 'configs', 'demo', 'restcn_synthetic.py'),
                      dict(num_frames=4, img_size=32, num_classes=len(TINY_CLASSES), task=task,
                           data_root=data_root, videos_per_class=(1, 1, 2), num_workers=0,
                           batch_size=4, tensorboard=False))
    head = (dict(type='ClsHead', num_classes=len(TINY_CLASSES)) if task == 'classification'
            else dict(type='RegHead', num_outputs=1))
    cfg.model = dict(type='Recognizer', backbone=dict(type='TinyConv2D', channels=(4, 8)),
                     temporal=temporal or dict(type='TCN', proj_channels=4, num_levels=2,
                                               hidden_channels=8, kernel_size=3),
                     head=head, data_preprocessor=dict(type='VideoDataPreprocessor'))
    return cfg


def write_tiny_checkpoint(path: Union[str, os.PathLike], *, temporal: Optional[dict] = None,
                          task: Literal['classification', 'regression'] = 'classification',
                          data_root: str = 'data/synthetic_tiny', with_config: bool = True,
                          seed: int = 0) -> str:
    """Save random weights of :func:`tiny_config`'s model with mmengine's checkpoint layout.

    Args:
        path: The ``.pth`` to write.
        temporal: Temporal module config (default a tiny TCN).
        task: Classification over :data:`TINY_CLASSES`, or one regression value.
        data_root: The config's ``data_root`` (``tools/test.py`` generates the data there).
        with_config: Store ``meta['cfg']`` (as the Runner does); ``False`` mimics a
            checkpoint without it.
        seed: Seed of the random weights.

    Returns:
        ``path`` as a string.
    """
    cfg = tiny_config(temporal=temporal, task=task, data_root=data_root)
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    meta = dict(dataset_meta=dict(task=task, **(dict(classes=TINY_CLASSES)
                                                if task == 'classification' else {})))
    if with_config:
        meta['cfg'] = cfg.pretty_text
    torch.save(dict(meta=meta, state_dict=model.state_dict()), path)
    return str(path)
