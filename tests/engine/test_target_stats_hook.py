"""TargetStatsHook: the training split's label statistics, per target, read from the annotations
(no video decoded), set on the regression head when training starts, not when it resumes."""
import logging
from types import SimpleNamespace

import pytest
import torch
from torch.utils.data import DataLoader

from vidreg.config import ConfigError
from vidreg.datasets import CSVDataset
from vidreg.engine.hooks import TargetStatsHook
from vidreg.engine.hooks.target_stats_hook import annotation_targets
from vidreg.models.recognizers import Recognizer
from vidreg.utils import register_all_modules

register_all_modules()

ROWS = [('a.avi', 10.0, -1.0), ('b.avi', 30.0, -1.0), ('c.avi', 50.0, -1.0)]


@pytest.fixture
def dataset(tmp_path):
    for name, *_ in ROWS:
        (tmp_path / name).write_bytes(b'not decoded')  # the statistics never open a video
    (tmp_path / 'train.csv').write_text(
        'path,valence,constant\n' + ''.join(f'{n},{v},{c}\n' for n, v, c in ROWS))
    return CSVDataset(ann_file='train.csv', data_root=str(tmp_path), task='regression',
                      label_columns=['valence', 'constant'])


def runner_of(dataset, head, iteration=0):
    """What the hook reads of mmengine's Runner."""
    model = Recognizer(backbone=dict(type='TinyConv2D', channels=(4, 8)),
                       temporal=dict(type='TemporalAvgPool'), head=head)
    return SimpleNamespace(model=model, iter=iteration, train_dataloader=DataLoader(dataset),
                           logger=logging.getLogger('test_target_stats_hook'))


def test_annotation_targets_are_the_label_columns(dataset):
    assert annotation_targets(dataset).tolist() == [[v, c] for _, v, c in ROWS]


def test_each_target_gets_its_own_statistics_and_a_constant_one_std_1(dataset):
    runner = runner_of(dataset, dict(type='RegHead', num_outputs=2))
    TargetStatsHook().before_train(runner)
    head = runner.model.head
    assert head.target_mean.tolist() == [30.0, -1.0]
    assert head.target_std.tolist() == pytest.approx([(800 / 3) ** 0.5, 1.0])


@pytest.mark.parametrize('head, iteration', [
    (dict(type='RegHead', num_outputs=2), 8),  # resumed: the checkpoint's statistics stay
    (dict(type='RegHead', num_outputs=2, standardize_targets=False), 0),  # switched off
])
def test_resumed_or_switched_off_heads_keep_their_statistics(dataset, head, iteration):
    runner = runner_of(dataset, head, iteration)
    TargetStatsHook().before_train(runner)
    assert runner.model.head.target_mean.tolist() == [0.0, 0.0]
    assert runner.model.head.target_std.tolist() == [1.0, 1.0]


def test_classification_models_are_left_alone(dataset):
    runner = runner_of(dataset, dict(type='ClsHead', num_classes=2))
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    TargetStatsHook().before_train(runner)
    assert all(torch.equal(v, before[k]) for k, v in runner.model.state_dict().items())


def test_labels_that_do_not_fit_the_head_are_a_config_error(dataset):
    with pytest.raises(ConfigError, match=r'num_outputs=1.*\(N, 1\), got \(3, 2\)'):
        TargetStatsHook().before_train(runner_of(dataset, dict(type='RegHead', num_outputs=1)))
