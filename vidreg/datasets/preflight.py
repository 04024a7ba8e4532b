"""Fail at once, before any model is built, when a configured dataset is not on disk."""
import os.path as osp
from typing import Sequence

from mmengine.config import Config

from vidreg.registry import DATASETS

from .base_video_dataset import BaseVideoDataset, DatasetError


def check_data_roots(cfg: Config, loaders: Sequence[str]) -> None:
    """Raise :class:`DatasetError` if a dataloader's ``data_root`` is needed but missing.

    Building the Runner builds the model first (loading pretrained weights can take a
    while or fail for its own reasons); a missing dataset should be the first thing a
    user hears about. Datasets that create their root (``generates_data = True``, e.g.
    the synthetic one) are skipped, and so are datasets that need no ``data_root`` for an
    absolute ``ann_file`` (:meth:`BaseVideoDataset.data_root_needed`).

    Args:
        cfg: The config.
        loaders: Names of the dataloader entries to check, e.g. ``('train_dataloader',)``.
    """
    for name in loaders:
        dataset = (cfg.get(name) or {}).get('dataset') or {}
        dataset_type, data_root = dataset.get('type'), dataset.get('data_root')
        cls = DATASETS.get(dataset_type) if isinstance(dataset_type, str) else dataset_type
        if (not data_root or not isinstance(cls, type) or not issubclass(cls, BaseVideoDataset)
                or getattr(cls, 'generates_data', False)):
            continue
        if not osp.isdir(osp.expanduser(data_root)) \
                and cls.data_root_needed(dataset.get('ann_file', '')):
            raise DatasetError(cls.missing_root_message(data_root))
