"""Train one auxiliary loss of a MultiTaskRecognizer config alone; report its trend and, for an
``ArrowOfTimeBranch``, the held-out direction accuracy (each val clip forward and reversed).

    python benchmarks/train_aux_alone.py CONFIG NAME [--steps 120] [--subset all|forward]
        [--lr 1e-3] [--cfg-options ...]

NAME is a key of ``model.branches`` (``direction``, ``tracking``). The classification loss
is off (no labels are read for training). ``--subset forward`` keeps only the synthetic
classes rendered forward (even labels: grow, brighten, ...), whose time reversal is visible;
on all classes of the shipped synthetic videos the arrow of time is at chance by construction.
"""
import argparse
import os.path as osp
import sys
import time
from typing import List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch
from mmengine.config import DictAction
from mmengine.runner import Runner

from vidreg.config import load_config
from vidreg.engine.entrypoint import run_cli
from vidreg.models import build_model
from vidreg.models.ssl import ArrowOfTimeBranch
from vidreg.utils import register_all_modules


def main(argv: Optional[List[str]] = None) -> None:
    """Parse the arguments, train, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config')
    parser.add_argument('name', help='key of model.branches')
    parser.add_argument('--steps', type=int, default=120)
    parser.add_argument('--subset', choices=('all', 'forward'), default='all')
    parser.add_argument('--lr', type=float, default=1e-3)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args(argv)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    branches = cfg.model.get('branches', {})
    if args.name not in branches:
        raise SystemExit(f'{args.config}: model.branches has no {args.name!r} '
                         f'(it has {sorted(branches)})')
    cfg.model.cls_weight = 0.0
    cfg.model.branches = {args.name: branches[args.name]}
    torch.manual_seed(cfg.get('randomness', {}).get('seed', 0))
    model = build_model(cfg)
    optim = torch.optim.Adam(model.parameters(), lr=args.lr)

    def rows(batch: dict) -> dict:
        """Normalised clips {name: (N, V, C, T, H, W)} of the kept rows."""
        labels = torch.tensor([int(sample.gt_label) for sample in batch['data_samples']])
        keep = labels % 2 == 0 if args.subset == 'forward' else torch.ones_like(labels).bool()
        inputs = model.data_preprocessor(batch, False)['inputs']
        return {key: value[keep] for key, value in inputs.items()}

    history, start = [], time.perf_counter()
    model.train()
    train = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    while len(history) < args.steps:
        for batch in train:
            inputs = rows(batch)
            if len(inputs[model.input_key]):
                loss = model.loss(inputs, None)[f'loss_{args.name}']
                optim.zero_grad()
                loss.backward()
                optim.step()
                history.append(loss.item())
            if len(history) >= args.steps:
                break
    k = max(1, args.steps // 5)
    print(f'{args.name} alone ({args.subset} classes), {args.steps} steps in '
          f'{time.perf_counter() - start:.0f} s: weighted loss, mean of the first {k} steps '
          f'{sum(history[:k]) / k:.4f}, of the last {k} {sum(history[-k:]) / k:.4f}')
    branch = model.branches[args.name]
    if isinstance(branch, ArrowOfTimeBranch):
        correct, total = direction_accuracy(model, branch, rows,
                                            Runner.build_dataloader(cfg.val_dataloader))
        print(f'held-out direction accuracy (val clips, forward and reversed): '
              f'{correct / total:.3f} of {total}')


def direction_accuracy(model, branch, rows, loader) -> Tuple[int, int]:
    """Correct and total direction predictions over every clip, forward and reversed."""
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for batch in loader:
            clips = rows(batch)[model.input_key].flatten(0, 1)  # (N, C, T, H, W)
            trunk = model.trunk(branch.stage)
            for feats, label in ((trunk.lower(clips), 0), (trunk.lower(clips.flip(2)), 1)):
                pred = branch.fc_bin(trunk(feats)).argmax(1)
                correct += int((pred == label).sum())
                total += len(pred)
    return correct, total


if __name__ == '__main__':
    run_cli(main)
