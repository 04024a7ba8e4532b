"""num_workers=None (the dataset fragments' default) follows the machine, capped at 4."""
import os

import pytest

from vidreg.config import load_config
from vidreg.engine.runner.vidreg_runner import VidregRunner, default_num_workers

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.mark.parametrize('cores, expected', [(1, 1), (2, 2), (3, 3), (16, 4)])
def test_one_worker_per_available_core_at_most_4(monkeypatch, cores, expected):
    monkeypatch.setattr(os, 'sched_getaffinity', lambda pid: set(range(cores)), raising=False)
    assert default_num_workers() == expected


def test_runner_fills_in_none_and_keeps_an_explicit_count(monkeypatch):
    monkeypatch.setattr(os, 'sched_getaffinity', lambda pid: {0, 1}, raising=False)
    loader = dict(dataset=list(range(4)), sampler=dict(type='DefaultSampler', shuffle=False),
                  batch_size=2, num_workers=None)
    assert VidregRunner.build_dataloader(loader).num_workers == 2
    assert VidregRunner.build_dataloader({**loader, 'num_workers': 0}).num_workers == 0


def test_shipped_fragments_default_to_the_machine_and_the_knob_overrides_it():
    config = os.path.join(REPO, 'configs', 'restcn_csv.py')
    cfg = load_config(config)
    assert cfg.train_dataloader.num_workers is None and cfg.val_dataloader.persistent_workers
    cfg = load_config(config, dict(num_workers=0))
    assert cfg.train_dataloader.num_workers == 0 and not cfg.train_dataloader.persistent_workers
    assert load_config(config, dict(num_workers=3)).test_dataloader.num_workers == 3
