"""A tiny recognizer saved as the training Runner saves it (config and classes in meta)."""
import os
import os.path as osp
from typing import Literal, Optional, Union

import torch

from vidreg.config import load_config
from vidreg.models import build_model
from vidreg.plugins import REPO_ROOT
from vidreg.utils import register_all_modules

__all__ = ['TINY_CLASSES', 'tiny_config', 'write_tiny_checkpoint']

TINY_CLASSES = ('grow', 'shrink', 'brighten', 'darken')  # the first 4 synthetic classes


# The demo configs/demo/twostream_<name>_synthetic.py: 2D streams on RGB + SG3I or stacked flow,
# or 3D streams (VideoResNet) on RGB + flow fields (B, 2, T, H, W).
TwoStream = Optional[Literal['sg3i', 'flow', 'flow3d']]


def _tiny_two_stream_config(two_stream: str, data_root: str):
    """The two-stream demo config ``two_stream`` shrunk like :func:`tiny_config`."""
    options = dict(img_size=32, num_classes=len(TINY_CLASSES), data_root=data_root,
                   videos_per_class=(1, 1, 2), num_workers=0, batch_size=4, test_clips=2,
                   flow_pairs=2, tensorboard=False)
    if two_stream == 'flow3d':
        options['base_channels'] = 4  # both VideoResNet streams
    demo = osp.join(REPO_ROOT, 'configs', 'demo', f'twostream_{two_stream}_synthetic.py')
    cfg = load_config(demo, options)
    if two_stream != 'flow3d':
        for stream in cfg.model.streams.values():
            stream.backbone.channels = (4, 8)  # TinyConv2D
    return cfg


def tiny_config(*, temporal: Optional[dict] = None,
                task: Literal['classification', 'regression'] = 'classification',
                data_root: str = 'data/synthetic_tiny', two_stream: TwoStream = None):
    """The synthetic demo config shrunk to 4 classes, 4 frames of 32 px and a tiny network.

    Its data (generated on first use under ``data_root``) has 1/1/2 videos per class.
    ``two_stream='sg3i'``, ``'flow'`` or ``'flow3d'`` takes that two-stream demo instead (dict
    inputs ``imgs`` + ``sg3i``/``flow``, 2 test clips; classification only; ``temporal``
    unused): ``'flow'`` stacks 2 flow fields as 4 channels, ``'flow3d'`` feeds them to a 3D
    flow stream as (B, 2, T=2, H, W).
    """
    register_all_modules()
    if two_stream is not None:
        if task != 'classification':
            raise ValueError('the tiny two-stream config is a classifier; pass '
                             "task='classification'")
        return _tiny_two_stream_config(two_stream, data_root)
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
                          seed: int = 0, two_stream: TwoStream = None) -> str:
    """Save random weights of :func:`tiny_config`'s model with mmengine's checkpoint layout.

    Args:
        path: The ``.pth`` to write.
        temporal: Temporal module config (default a tiny TCN).
        task: Classification over :data:`TINY_CLASSES`, or one regression value.
        data_root: The config's ``data_root`` (``tools/test.py`` generates the data there).
        with_config: Store ``meta['cfg']`` (as the Runner does); ``False`` mimics a
            checkpoint without it.
        seed: Seed of the random weights.
        two_stream: ``'sg3i'``, ``'flow'`` or ``'flow3d'``: the tiny two-stream model (see
            :func:`tiny_config`).

    Returns:
        ``path`` as a string.
    """
    cfg = tiny_config(temporal=temporal, task=task, data_root=data_root, two_stream=two_stream)
    torch.manual_seed(seed)
    model = build_model(cfg)
    meta = dict(dataset_meta=dict(task=task, **(dict(classes=TINY_CLASSES)
                                                if task == 'classification' else {})))
    if with_config:
        meta['cfg'] = cfg.pretty_text
    torch.save(dict(meta=meta, state_dict=model.state_dict()), path)
    return str(path)
