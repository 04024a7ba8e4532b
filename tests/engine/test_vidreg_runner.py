"""VidregRunner and CheckpointAfterValHook on a toy model: checkpoint writes that fail, strict
loading, checksums and the loader seed (fault injected at mmengine's file write, not in vidreg)."""
import errno
import os
import threading

import pytest
import torch
from mmengine.evaluator import BaseMetric
from mmengine.fileio.backends.local_backend import LocalBackend
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch import nn

from vidreg.engine.hooks import RichProgressHook
from vidreg.engine.hooks.train_summary_hook import HISTORY_KEY
from vidreg.engine.runner import VidregRunner
from vidreg.registry import METRICS
from vidreg.utils import CheckpointError, NoSpaceError, load_checkpoint_file, register_all_modules
from vidreg.utils.checkpoint import CHECKSUM_KEY, state_dict_checksum


class ToyModel(BaseModel):
    def __init__(self, width: int = 2) -> None:
        super().__init__()
        self.linear = nn.Linear(width, 1)
        self.dropout = nn.Dropout(0.5)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(self.dropout(torch.stack(inputs)))  # (B, 1)
        if mode == 'loss':
            return dict(loss=(out - 1).pow(2).mean())
        return [dict(error=float((o - 1).abs())) for o in out] if mode == 'predict' else out


@METRICS.register_module(force=True)
class ToyError(BaseMetric):
    def process(self, data_batch, data_samples) -> None:
        self.results.extend(s['error'] for s in data_samples)

    def compute_metrics(self, results) -> dict:
        return dict(error=sum(results) / len(results))


def make_runner(work_dir, *, width=2, max_epochs=2, num_workers=0, **cfg):
    register_all_modules()
    torch.manual_seed(0)  # the toy model is built before the runner seeds
    data = [dict(inputs=torch.full((width,), i / 8)) for i in range(8)]
    loader = dict(dataset=data, batch_size=4, num_workers=num_workers,
                  persistent_workers=num_workers > 0, collate_fn=dict(type='pseudo_collate'),
                  sampler=dict(type='DefaultSampler', shuffle=True))
    return VidregRunner(
        model=ToyModel(width), work_dir=str(work_dir), experiment_name=str(work_dir),
        train_dataloader=loader,
        val_dataloader=dict(loader, sampler=dict(type='DefaultSampler', shuffle=False)),
        val_evaluator=dict(type='ToyError'), val_cfg=dict(),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs, val_interval=1),
        default_hooks=dict(checkpoint=dict(type='CheckpointAfterValHook', interval=1,
                                           max_keep_ckpts=2, save_best='error', rule='less'),
                           logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[dict(type='TrainSummaryHook'), dict(type='RNGStateHook')],
        randomness=dict(seed=0), default_scope='vidreg', cfg=dict(cfg), log_level='WARNING',
        **{k: v for k, v in cfg.items() if k in ('load_from', 'resume')})


def fail_on_write(monkeypatch, name, call, *, error):
    """Make mmengine's file write of checkpoint ``name`` write part of the file, then fail."""
    real_put, calls = LocalBackend.put, []

    def put(self, obj, filepath):
        if f'.{name}.' in os.path.basename(filepath):
            calls.append(filepath)
            if len(calls) == call:
                with open(filepath, 'wb') as file:
                    file.write(obj[:len(obj) // 2])
                raise error
        return real_put(self, obj, filepath)
    monkeypatch.setattr(LocalBackend, 'put', put)


def files(work_dir):
    return sorted(f for f in os.listdir(work_dir) if os.path.isfile(os.path.join(work_dir, f)))


def test_checkpoints_carry_a_checksum_of_their_weights(tmp_path):
    make_runner(tmp_path, max_epochs=1).train()
    checkpoint = load_checkpoint_file(str(tmp_path / 'epoch_1.pth'))
    assert checkpoint[CHECKSUM_KEY] == state_dict_checksum(checkpoint['state_dict'])


def test_full_disk_while_rewriting_after_validation(tmp_path, monkeypatch):
    # epoch_1.pth is written after training, then again after validation: the second fails.
    fail_on_write(monkeypatch, 'epoch_1.pth', 2,
                  error=OSError(errno.ENOSPC, 'No space left on device'))
    with pytest.raises(NoSpaceError, match="no space left on device while writing .*epoch_1.pth'"):
        make_runner(tmp_path).train()
    assert not any(f.endswith('.tmp') for f in files(tmp_path)), files(tmp_path)


def test_a_run_stopped_while_saving_keeps_its_history_and_one_best(tmp_path, monkeypatch):
    uninterrupted = make_runner(tmp_path / 'full', max_epochs=3)
    uninterrupted.train()
    # Stop in the rewrite of epoch_2.pth after its validation (best_error_epoch_2.pth is written
    # by then); kill -9 would also leave the partial temporary file behind.
    fail_on_write(monkeypatch, 'epoch_2.pth', 2, error=KeyboardInterrupt())
    work_dir = tmp_path / 'stopped'
    with pytest.raises(KeyboardInterrupt):
        make_runner(work_dir, max_epochs=3).train()
    stale = work_dir / ('.epoch_2.pth.' + 'f' * 32 + '.tmp')
    stale.write_bytes(b'partial')
    legacy = work_dir / 'epoch_2.pth.tmp'  # the name earlier versions used
    legacy.write_bytes(b'partial')
    monkeypatch.undo()
    resumed = make_runner(work_dir, max_epochs=3, resume=True)
    resumed.train()
    history = resumed.message_hub.get_info(HISTORY_KEY)
    assert [h['epoch'] for h in history] == [1, 2, 3]
    full_history = uninterrupted.message_hub.get_info(HISTORY_KEY)
    for row, full_row in zip(history, full_history):
        assert row['val/error'] == pytest.approx(full_row['val/error'])
    best = [f for f in files(work_dir) if f.startswith('best_')]
    assert best == [f for f in files(tmp_path / 'full') if f.startswith('best_')]
    assert not stale.exists() and not legacy.exists()


def test_weights_of_another_architecture_stop_the_run_with_the_keys(tmp_path):
    make_runner(tmp_path / 'a', max_epochs=1).train()
    checkpoint = str(tmp_path / 'a' / 'epoch_1.pth')
    runner = make_runner(tmp_path / 'b', width=3, load_from=checkpoint)
    with pytest.raises(CheckpointError, match=r'epoch_1.pth.*linear.weight: checkpoint \(1, 2\) '
                                              r'vs model \(1, 3\).*partial_load=True'):
        runner.load_or_resume()
    partial = make_runner(tmp_path / 'c', width=3, load_from=checkpoint, partial_load=True)
    partial.load_or_resume()  # fine-tuning: what fits is loaded, the rest logged
    assert torch.equal(partial.model.linear.bias, load_checkpoint_file(checkpoint)[
        'state_dict']['linear.bias'])


def test_resuming_another_architecture_is_the_same_clean_error(tmp_path):
    make_runner(tmp_path / 'a', max_epochs=1).train()
    runner = make_runner(tmp_path / 'b', width=3, resume=True,
                         load_from=str(tmp_path / 'a' / 'epoch_1.pth'), partial_load=True)
    with pytest.raises(CheckpointError, match='resumed from.*linear.weight'):
        runner.train()


def test_loaders_do_not_draw_from_the_training_rng(tmp_path):
    # A persistent-worker loader draws its workers' base seed when first iterated: in a resumed
    # run that happens after the RNG state was restored, in an uninterrupted run it does not.
    loader = make_runner(tmp_path).train_dataloader
    torch.manual_seed(0)
    expected = torch.rand(1)
    torch.manual_seed(0)
    iter(loader)
    assert torch.equal(torch.rand(1), expected)


class CtrlCHook(Hook):
    """Presses Ctrl-C in the middle of the first epoch, after the progress bar has started."""

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        raise KeyboardInterrupt


def test_a_run_stopped_by_ctrl_c_leaves_no_thread_running_beside_it(tmp_path):
    """Live threads (a progress bar's refresh) left running when a run stops can abort the
    interpreter at shutdown: the process exits -6 instead of 130."""
    before = set(threading.enumerate())
    runner = make_runner(tmp_path / 'work')
    runner.register_hook(RichProgressHook())
    runner.register_hook(CtrlCHook(), priority='LOWEST')
    with pytest.raises(KeyboardInterrupt):
        runner.train()
    assert [t.name for t in set(threading.enumerate()) - before if t.is_alive()] == []


def test_ema_momentum_adds_mmengines_ema_hook_whose_average_is_checkpointed(tmp_path):
    make_runner(tmp_path / 'a', ema_momentum=0.5).train()
    checkpoint = load_checkpoint_file(str(tmp_path / 'a' / 'epoch_2.pth'))
    average, trained = checkpoint['state_dict'], checkpoint['ema_state_dict']
    assert not torch.equal(average['linear.weight'], trained['module.linear.weight'])
    assert checkpoint[CHECKSUM_KEY] == state_dict_checksum(average)
    with pytest.raises(ValueError, match=r'ema_momentum must be in \[0, 1\)'):
        make_runner(tmp_path / 'b', ema_momentum=1.5)
