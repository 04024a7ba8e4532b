"""``configs/restcn_csv_regression.py`` shrunk, on synthetic videos whose targets are rescaled."""
import csv
import os
import os.path as osp
from typing import Union

from vidreg.config import load_config
from vidreg.plugins import REPO_ROOT
from vidreg.preparation.synthetic_videos import generate_synthetic_dataset
from vidreg.utils import register_all_modules

__all__ = ['write_scaled_regression_csvs', 'tiny_csv_regression_config']

CSV_NAMES = dict(train='train.csv', val='validation.csv', test='test.csv')  # the config's


def write_scaled_regression_csvs(root: Union[str, os.PathLike], *, scale: float = 35.0,
                                 offset: float = 3.0) -> str:
    """Tiny synthetic videos (4 classes, 1/1/2 per class, 8 frames of 32 px) with the signed
    change in [-1, 1] written as ``scale * change + offset`` (about -32..38 by default: the
    percent-scale targets of issue 23) into ``train.csv``, ``validation.csv``, ``test.csv``.

    Returns:
        ``root``, the ``data_root`` of the CSVs (paths in them are relative to it).
    """
    root = str(root)
    paths = generate_synthetic_dataset(osp.join(root, 'synthetic'), num_classes=4,
                                       videos_per_class=(1, 1, 2), num_frames_range=(8, 8),
                                       size=(32, 32), progress=False)
    for split, name in CSV_NAMES.items():
        with open(paths[f'{split}_regression'], encoding='utf-8') as source, \
                open(osp.join(root, name), 'w', newline='', encoding='utf-8') as out:
            writer = csv.writer(out)
            writer.writerow(['path', 'label'])
            for row in csv.DictReader(source):
                writer.writerow([osp.join('synthetic', row['path']),
                                 round(scale * float(row['label']) + offset, 4)])
    return root


def tiny_csv_regression_config(data_root: str, **options):
    """``configs/restcn_csv_regression.py`` (its schedule: SGD, lr 1e-3) with 4 frames of 32 px,
    no workers and a tiny backbone and TCN; ``options`` are further ``--cfg-options``."""
    register_all_modules()
    knobs = dict(data_root=data_root, pretrained=None, num_frames=4, img_size=32, batch_size=2,
                 num_workers=0, max_epochs=1, tensorboard=False)
    cfg = load_config(osp.join(REPO_ROOT, 'configs', 'restcn_csv_regression.py'),
                      {**knobs, **options})
    cfg.model.backbone = dict(type='TinyConv2D', channels=(4, 8))
    cfg.model.temporal = dict(type='TCN', proj_channels=4, num_levels=2, hidden_channels=8,
                              kernel_size=3)
    return cfg
