"""DAiSEE's engagement levels learned three ways on the same split: classes
(``restcn_daisee.py``), CORN ordinal levels (``restcn_daisee_ordinal.py``) and a number
(``restcn_daisee_regression.py``); one Markdown row of test scores per config.

The data is a DAiSEE tree (``DataSet/{Train,Validation,Test}/<subject>/<clip>/<clip>.avi`` and
``Labels/*Labels.csv``) of synthetic videos: one reversal pair of the generator, whose signed
change in [-1, 1] is cut into four ordered levels at -0.8, 0 and 0.8 (the sign shows in the
order of the frames, the level within a sign in the size of the change). Every model trains
from scratch with the same settings (a small per-frame CNN instead of ResNet-18, AdamW)::

    python benchmarks/daisee_levels.py work_dirs/daisee_levels --epochs 8 --img-size 48
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from vidreg.apis import evaluate_checkpoint, train_model  # noqa: E402
from vidreg.config import load_config  # noqa: E402
from vidreg.preparation.synthetic_videos import generate_synthetic_dataset  # noqa: E402

CONFIGS = ('configs/restcn_daisee.py', 'configs/restcn_daisee_ordinal.py',
           'configs/restcn_daisee_regression.py')
SPLITS = dict(train='Train', val='Validation', test='Test')
HEADER = 'ClipID,Boredom,Engagement,Confusion,Frustration \n'  # DAiSEE's, trailing space
LEVEL_BOUNDS = (-0.8, 0.0, 0.8)


def write_synthetic_daisee(root: str, videos_per_class=(24, 8, 8)) -> str:
    """A DAiSEE tree under ``root/DAiSEE`` whose engagement is the synthetic change, in levels."""
    paths = generate_synthetic_dataset(osp.join(root, 'synthetic'), num_classes=2,
                                       videos_per_class=videos_per_class,
                                       num_frames_range=(16, 24), progress=False)
    daisee = osp.join(root, 'DAiSEE')
    os.makedirs(osp.join(daisee, 'Labels'), exist_ok=True)
    for split, name in SPLITS.items():
        lines = [HEADER]
        with open(paths[f'{split}_regression'], encoding='utf-8') as f:
            for i, row in enumerate(csv.DictReader(f)):
                level = sum(float(row['label']) > bound for bound in LEVEL_BOUNDS)
                clip = f'{100001 + list(SPLITS).index(split):06d}{i:04d}'
                folder = osp.join(daisee, 'DataSet', name, clip[:6], clip)
                os.makedirs(folder, exist_ok=True)
                target = osp.join(folder, clip + '.avi')
                if not osp.exists(target):
                    os.symlink(osp.join(osp.dirname(paths['classes']), row['path']), target)
                lines.append(f'{clip}.avi,0,{level},0,0\n')
        with open(osp.join(daisee, 'Labels', f'{name}Labels.csv'), 'w', encoding='utf-8') as f:
            f.writelines(lines)
    return daisee


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('work_dir')
    parser.add_argument('--epochs', type=int, default=8)
    parser.add_argument('--img-size', type=int, default=48)
    args = parser.parse_args()
    data_root = write_synthetic_daisee(args.work_dir)
    options = dict(data_root=data_root, pretrained=None, num_frames=8, img_size=args.img_size,
                   batch_size=8, num_workers=0, max_epochs=args.epochs)
    rows = []
    for source in CONFIGS:
        name = osp.splitext(osp.basename(source))[0]
        work_dir = osp.join(args.work_dir, name)
        # From scratch in a few CPU minutes, the same change for the three: AdamW as the
        # synthetic demos (the configs' SGD 1e-3 is set for ImageNet weights) and a small 2D
        # CNN per frame in place of ResNet-18; the TCN and the heads are the configs'.
        cfg = load_config(source, options)
        cfg.optim_wrapper.optimizer = dict(type='AdamW', lr=1e-3, weight_decay=1e-4)
        cfg.model.backbone = dict(type='TinyConv2D', channels=(16, 32, 64))
        config = osp.join(args.work_dir, f'{name}.py')
        cfg.dump(config)
        start = time.perf_counter()
        train_model(config, work_dir=work_dir, overwrite=True)
        seconds = time.perf_counter() - start
        with open(osp.join(work_dir, 'summary.json'), encoding='utf-8') as f:
            best = json.load(f)['best_checkpoint']
        metrics = evaluate_checkpoint(config, best, work_dir=work_dir)
        rows.append((name, osp.basename(best), seconds, metrics))
    print('| config | best checkpoint | train s | QWK | MAE (levels) | accuracy | reg/ccc '
          '| reg/r2 |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for name, best, seconds, m in rows:
        extra = [f"{m[key]:.3f}" if key in m else '-' for key in ('reg/ccc', 'reg/r2')]
        print(f"| {name} | {best} | {seconds:.0f} | {m['ordinal/qwk']:.3f} | "
              f"{m['ordinal/mae']:.3f} | {m['ordinal/accuracy']:.3f} | {' | '.join(extra)} |")


if __name__ == '__main__':
    main()
