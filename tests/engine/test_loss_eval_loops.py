"""VidregValLoop / VidregTestLoop: the loss from the one network run per batch; plateau schedule."""
import os.path as osp

import mmengine.dataset.sampler
import numpy as np
import pytest
import torch
from mmengine.dataset import DefaultSampler
from mmengine.evaluator import BaseMetric, Evaluator
from mmengine.hooks import Hook
from torch.utils.data import DataLoader, Dataset

from vidreg.config import load_config
from vidreg.datasets import video_collate
from vidreg.engine.runner import VidregRunner
from vidreg.engine.runner.loss_eval_mixin import padded_sample_ids
from vidreg.models.recognizers import Recognizer
from vidreg.utils import register_all_modules

register_all_modules()

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NUM_CLASSES = 3


class TinyClips(Dataset):
    """Random uint8 clips of two views, (V, T, C, H, W) = (2, 4, 3, 16, 16)."""

    metainfo = dict(classes=('a', 'b', 'c'), task='classification')

    def __init__(self, num_videos, *, labelled=True, task='classification'):
        rng = np.random.default_rng(num_videos)
        self.clips = rng.integers(0, 256, (num_videos, 2, 4, 3, 16, 16), dtype=np.uint8)
        self.labelled, self.task = labelled, task

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, index):
        record = dict(metainfo=dict(sample_idx=index))  # what PackVideoInputs packs
        if self.labelled:
            label = index % NUM_CLASSES if self.task == 'classification' else index / 2
            record.update(gt_label=label, task=self.task)
        return dict(inputs=dict(imgs=self.clips[index]), data_samples=record)


class CountPredictions(BaseMetric):
    """How many samples reached the evaluator with a prediction."""

    def process(self, data_batch, data_samples):
        self.results.extend('pred_score' in sample for sample in data_samples)

    def compute_metrics(self, results):
        return dict(predicted=sum(results))


def tiny_model(head=None):
    torch.manual_seed(0)
    return Recognizer(backbone=dict(type='TinyConv2D', channels=(4, 8)),
                      temporal=dict(type='TemporalAvgPool'),
                      head=head or dict(type='ClsHead', num_classes=NUM_CLASSES))


def loader(dataset, batch_size=2):
    return DataLoader(dataset, batch_size=batch_size, collate_fn=video_collate)


def build_runner(tmp_path, head=None, **kwargs):
    return VidregRunner(model=tiny_model(head), work_dir=str(tmp_path), default_scope='vidreg',
                        experiment_name=tmp_path.name,
                        default_hooks=dict(checkpoint=None), **kwargs)


@pytest.mark.parametrize('task, head, metric, first', [
    ('classification', dict(type='ClsHead', num_classes=NUM_CLASSES),
     dict(type='AccuracyMetric', topk=(1,)), 'acc/top1'),
    ('regression', dict(type='RegHead'), dict(type='RegressionMetric'), 'reg/mse')])
def test_val_loss_is_the_video_mean_from_one_network_run_per_batch(tmp_path, task, head, metric,
                                                                   first):
    dataset = TinyClips(5, task=task)  # batches of 2, 2, 1 videos
    runner = build_runner(tmp_path, head, val_dataloader=loader(dataset),
                          val_cfg=dict(type='VidregValLoop'), val_evaluator=metric)
    backbone_runs = []
    runner.model.backbone.register_forward_hook(lambda *args: backbone_runs.append(1))
    metrics = runner.val()
    assert len(backbone_runs) == 3  # once per batch: predictions and loss from the same run
    assert list(metrics)[-1] == 'loss' and list(metrics)[0] == first  # save_best='auto' keeps it
    model = runner.model.eval()
    with torch.no_grad():
        everything = model.data_preprocessor(video_collate([dataset[i] for i in range(5)]))
        expected = model(**everything, mode='loss')
        predicted = model(**everything, mode='predict')
    assert metrics['loss'] == pytest.approx(sum(expected.values()).item(), rel=1e-5)
    if task == 'classification':
        accuracy = sum(int(s.pred_label) == int(s.gt_label) for s in predicted) / 5
        assert metrics['acc/top1'] == pytest.approx(accuracy)
    else:
        errors = [float(s.pred_value - s.gt_label) ** 2 for s in predicted]
        assert metrics['reg/mse'] == pytest.approx(sum(errors) / 5, rel=1e-5)


@pytest.mark.parametrize('batch_size', [2, 3])
def test_a_process_counts_no_padding_repeat_in_the_loss(tmp_path, monkeypatch, batch_size):
    # Process 1 of 2 on 5 videos: DefaultSampler pads to 6, this process gets positions 1, 3
    # and 5, i.e. videos 1, 3 and (a repeat of) 0, which the evaluator drops; so must the loss,
    # whether the repeat shares a batch with real videos (3) or has one of its own (2).
    monkeypatch.setattr(mmengine.dataset.sampler, 'get_dist_info', lambda: (1, 2))
    dataset = TinyClips(5)
    sampler = DefaultSampler(dataset, shuffle=False)
    assert list(sampler) == [1, 3, 0] and padded_sample_ids(sampler) == {0}
    runner = build_runner(tmp_path, val_dataloader=DataLoader(
        dataset, batch_size=batch_size, sampler=sampler, collate_fn=video_collate),
        val_cfg=dict(type='VidregValLoop'), val_evaluator=Evaluator([CountPredictions()]))
    metrics = runner.val()
    assert metrics['predicted'] == 3
    model = runner.model.eval()
    with torch.no_grad():
        real = model.data_preprocessor(video_collate([dataset[1], dataset[3]]))
        expected = sum(model(**real, mode='loss').values()).item()
    assert metrics['loss'] == pytest.approx(expected, rel=1e-5)


def test_one_process_or_another_sampler_has_no_padding():
    assert padded_sample_ids(DefaultSampler(TinyClips(5), shuffle=True)) == set()
    assert padded_sample_ids(range(5)) == set()


def test_test_loop_reports_the_loss_only_for_labelled_data(tmp_path):
    runner = build_runner(tmp_path, test_dataloader=loader(TinyClips(3)), test_cfg=dict(
        type='VidregTestLoop'), test_evaluator=Evaluator([CountPredictions()]))
    assert set(runner.test()) == {'predicted', 'loss'}
    unlabelled = build_runner(tmp_path / 'u', test_dataloader=loader(TinyClips(3, labelled=False)),
                              test_cfg=dict(type='VidregTestLoop'),
                              test_evaluator=Evaluator([CountPredictions()]))
    assert unlabelled.test() == dict(predicted=3)


class LossNamedMetric(CountPredictions):
    def compute_metrics(self, results):
        return dict(loss=0.0)


def test_a_metric_named_loss_is_an_error(tmp_path):
    runner = build_runner(tmp_path, val_dataloader=loader(TinyClips(2)),
                          val_cfg=dict(type='VidregValLoop'),
                          val_evaluator=Evaluator([LossNamedMetric()]))
    with pytest.raises(ValueError, match='prefix'):
        runner.val()


def test_reduce_on_plateau_from_the_seed_schedule_steps_on_the_val_loss(tmp_path):
    # The CNN-RNN seed's fragment; lr so small that the loss cannot improve by the scheduler's
    # threshold (1e-4 relative) after epoch 1.
    schedule = load_config(osp.join(REPO, 'configs', '_base_', 'schedules', 'adam_plateau.py'),
                           {'lr': 1e-7, 'max_epochs': 8})
    assert schedule.param_scheduler[0].monitor == 'loss'
    runner = build_runner(
        tmp_path, train_dataloader=loader(TinyClips(4)), val_dataloader=loader(TinyClips(3)),
        val_evaluator=dict(type='AccuracyMetric', topk=(1,)), train_cfg=schedule.train_cfg,
        val_cfg=schedule.val_cfg, optim_wrapper=schedule.optim_wrapper,
        param_scheduler=schedule.param_scheduler,
        custom_hooks=[dict(type='TrainSummaryHook')])
    for module in runner.model.modules():  # keep BatchNorm's running statistics fixed
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.momentum = 0.0
    recorder = LRRecorder()
    runner.register_hook(recorder, 'LOWEST')
    runner.train()
    # patience 5: epoch 1 sets the best loss, epochs 2-7 do not beat it, the 6th bad one halves
    # lr. (mmengine ignores the last epoch's validation: the scheduler's end is max_epochs.)
    assert recorder.lrs == [1e-7] * 6 + [5e-8] * 2
    history = runner.message_hub.get_info('vidreg_history')
    first = history[0]['val/loss']
    assert all(abs(h['val/loss'] - first) < 1e-4 * first for h in history)  # its threshold


class LRRecorder(Hook):
    """Records the learning rate after each validation (after the scheduler stepped)."""

    def __init__(self):
        self.lrs = []

    def after_val_epoch(self, runner, metrics=None):
        self.lrs.append(runner.optim_wrapper.get_lr()['lr'][0])
