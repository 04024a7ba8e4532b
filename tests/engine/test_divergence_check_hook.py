"""DivergenceCheckHook on a toy model: a huge learning rate stops the run at once, in one line,
with the last good checkpoint kept; a step skipped by dynamic loss scaling goes on."""
import json
import os

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from torch import nn

from vidreg.engine.hooks import TrainingDivergedError
from vidreg.engine.runner import VidregRunner
from vidreg.registry import OPTIM_WRAPPERS
from vidreg.utils import load_checkpoint_file, register_all_modules


class ToyRegressor(BaseModel):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(torch.stack(inputs))  # (B, 1)
        if mode == 'loss':
            return dict(loss=(out - 1).pow(2).mean())
        return [dict(out=o) for o in out] if mode == 'predict' else out


@OPTIM_WRAPPERS.register_module(force=True)
class CPULossScalingOptimWrapper(OptimWrapper):
    """mmengine's AmpOptimWrapper steps (scaled backward, ``scaler.step``, ``scaler.update``)
    with torch's dynamic loss scaler on the CPU (mmengine's own needs a GPU). The huge initial
    scale makes the first gradients overflow, so the scaler skips those steps."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.loss_scaler = torch.amp.GradScaler('cpu', init_scale=1e38)

    def backward(self, loss, **kwargs) -> None:
        self.loss_scaler.scale(loss).backward(**kwargs)
        self._inner_count += 1

    def step(self, **kwargs) -> None:
        self.loss_scaler.step(self.optimizer, **kwargs)
        self.loss_scaler.update()


def make_runner(work_dir, *, lr=0.1, max_epochs=2, param_scheduler=None,
                optim_type='OptimWrapper', custom_hooks=None):
    register_all_modules()
    torch.manual_seed(0)
    data = [dict(inputs=torch.full((2,), i / 8)) for i in range(8)]
    loader = dict(dataset=data, batch_size=4, num_workers=0, collate_fn=dict(type='pseudo_collate'),
                  sampler=dict(type='DefaultSampler', shuffle=False))
    return VidregRunner(
        model=ToyRegressor(), work_dir=str(work_dir), experiment_name=str(work_dir),
        train_dataloader=loader,
        optim_wrapper=dict(type=optim_type, optimizer=dict(type='SGD', lr=lr)),
        param_scheduler=param_scheduler,
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        default_hooks=dict(checkpoint=dict(type='CheckpointAfterValHook', interval=1),
                           divergence_check=dict(type='DivergenceCheckHook')),
        custom_hooks=custom_hooks, randomness=dict(seed=0), default_scope='vidreg',
        log_level='WARNING')


def test_a_learning_rate_that_explodes_in_epoch_2_stops_there_and_keeps_epoch_1(tmp_path):
    schedule = [dict(type='MultiStepLR', milestones=[1], gamma=1e30, by_epoch=True)]
    runner = make_runner(tmp_path, max_epochs=3, param_scheduler=schedule)
    with pytest.raises(TrainingDivergedError) as error:
        runner.train()
    message = str(error.value)
    assert message.startswith('training diverged at epoch 2, iteration ')
    assert '\n' not in message
    assert 'lower learning rate than 1e+29 (--cfg-options lr=...)' in message
    assert f"the last good checkpoint, {tmp_path / 'epoch_1.pth'}, is kept" in message
    assert sorted(os.listdir(tmp_path))[-2:] == ['epoch_1.pth', 'last_checkpoint']
    assert (tmp_path / 'last_checkpoint').read_text().strip() == str(tmp_path / 'epoch_1.pth')
    saved = load_checkpoint_file(str(tmp_path / 'epoch_1.pth'))
    assert saved['meta']['epoch'] == 1
    assert all(torch.isfinite(value).all() for value in saved['state_dict'].values())


class BrokenStoppedHook(Hook):
    """Records nothing: its ``after_train_stopped`` fails (e.g. on a full disk)."""

    def after_train_stopped(self, runner, error):
        raise OSError('no space left on device')


def test_a_diverged_run_summarises_the_epochs_it_finished(tmp_path, capsys):
    """summary.json and the table cover epoch 1 and say why the run stopped; a hook that
    fails to record the stop is logged and does not hide the divergence."""
    schedule = [dict(type='MultiStepLR', milestones=[1], gamma=1e30, by_epoch=True)]
    runner = make_runner(tmp_path, max_epochs=3, param_scheduler=schedule,
                         custom_hooks=[dict(type='TrainSummaryHook'), BrokenStoppedHook()])
    with pytest.raises(TrainingDivergedError):
        runner.train()
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert [h['epoch'] for h in summary['history']] == [1]
    assert summary['stopped'].startswith('TrainingDivergedError: training diverged at epoch 2, ')
    assert summary['last_checkpoint'] == str(tmp_path / 'epoch_1.pth')
    out = ' '.join(capsys.readouterr().out.split())  # the table may wrap
    assert 'Training summary (stopped after epoch 1)' in out
    assert 'stopped: TrainingDivergedError: training diverged at epoch 2' in out
    log = ''.join(path.read_text() for path in tmp_path.glob('*/*.log'))
    assert 'BrokenStoppedHook could not record the stopped run: no space left' in log


class CtrlCInEpoch2(Hook):
    """Ctrl-C in epoch 2, inside code that turns it into an error of its own (as mmengine's
    Config.pretty_text, which each checkpoint save calls, turns it into a SyntaxError)."""

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if runner.epoch == 1:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise SyntaxError('Failed to format the config file') from None


def test_ctrl_c_wrapped_in_another_error_is_summarised_as_ctrl_c(tmp_path):
    runner = make_runner(tmp_path, max_epochs=3,
                         custom_hooks=[dict(type='TrainSummaryHook'), CtrlCInEpoch2()])
    with pytest.raises(SyntaxError):
        runner.train()
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert summary['stopped'] == 'interrupted (Ctrl-C)'
    assert [h['epoch'] for h in summary['history']] == [1]


def test_a_run_that_ends_says_it_did_not_stop(tmp_path):
    make_runner(tmp_path, custom_hooks=[dict(type='TrainSummaryHook')]).train()
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert summary['stopped'] is None and [h['epoch'] for h in summary['history']] == [1, 2]


def test_a_run_that_diverges_at_once_names_the_first_iteration(tmp_path):
    with pytest.raises(TrainingDivergedError, match=r'epoch 1, iteration [12]/2 \(iteration '
                                                    r'[12] of the run\).*no checkpoint had been '
                                                    r'saved yet'):
        make_runner(tmp_path, lr=1e38).train()
    assert not any(name.endswith('.pth') for name in os.listdir(tmp_path))


def test_steps_skipped_by_dynamic_loss_scaling_do_not_stop_the_run(tmp_path):
    runner = make_runner(tmp_path, optim_type='CPULossScalingOptimWrapper')
    runner.train()  # the first steps' scaled gradients overflow: skipped, weights unchanged
    assert runner.optim_wrapper.loss_scaler.get_scale() < 1e38
    assert runner.epoch == 2 and (tmp_path / 'epoch_2.pth').is_file()
