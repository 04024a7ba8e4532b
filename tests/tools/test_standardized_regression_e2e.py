"""Percent-scale targets through tools/ (issue 23): training learns them standardised, and the
checkpoint's statistics give target units in test dumps, inference (PyTorch and the exported
ONNX without torch); a learning rate that explodes stops the run in one line. (Checkpoints from
before the statistics: tests/engine/test_regression_checkpoint_compat.py.)"""
import csv
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from vidreg.apis import export_checkpoint
from vidreg.config import resolved_config_text
from vidreg.deployment import infer_files
from vidreg.testing.block_torch import torch_blocking_env
from vidreg.testing.tiny_csv_regression import (
    tiny_csv_regression_config,
    write_scaled_regression_csvs,
)
from vidreg.utils import load_checkpoint_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
pytestmark = pytest.mark.slow


def run_tool(*args, expect=0, env=None):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})},
                            timeout=600)
    assert result.returncode == expect, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def read_column(path, column):
    with open(path) as f:
        return {osp.basename(row['path']): float(row[column]) for row in csv.DictReader(f)}


def labels(path):
    with open(path) as f:
        return [float(row['label']) for row in csv.DictReader(f)]


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    return write_scaled_regression_csvs(tmp_path_factory.mktemp('percent'))


@pytest.fixture(scope='module')
def trained(tmp_path_factory, data_root):
    root = tmp_path_factory.mktemp('trained')
    cfg = tiny_csv_regression_config(data_root, max_epochs=2)
    # A user config without a rule: 'auto' selects by the first metric, reg/mse (issue 23).
    cfg.default_hooks.checkpoint = dict(type='CheckpointAfterValHook', interval=1,
                                        save_best='auto')
    config = root / 'tiny_csv_regression.py'
    config.write_text(resolved_config_text(cfg))
    run_tool('tools/train.py', str(config), '--work-dir', str(root / 'work'))
    return root, str(config), str(root / 'work' / 'epoch_2.pth')


def test_without_a_save_best_rule_the_lowest_mse_is_the_best(trained):
    root, _, _ = trained
    with open(root / 'work' / 'summary.json') as f:
        summary = json.load(f)
    assert summary['best_metric'] == 'val/reg/mse' and summary['best_rule'] == 'less'
    mse = {row['epoch']: row['val/reg/mse'] for row in summary['history']}
    assert summary['best_epoch'] == min(mse, key=mse.get)
    assert f"best_reg_mse_epoch_{summary['best_epoch']}.pth" in os.listdir(root / 'work')


def test_checkpoint_holds_the_training_splits_statistics(trained, data_root):
    _, _, checkpoint = trained
    state = load_checkpoint_file(checkpoint)['state_dict']
    train = torch.tensor(labels(osp.join(data_root, 'train.csv')), dtype=torch.float64)
    assert state['head.target_mean'].item() == pytest.approx(train.mean().item(), rel=1e-5)
    assert state['head.target_std'].item() == pytest.approx(train.std(unbiased=False).item(),
                                                            rel=1e-5)
    assert state['head.target_std'].item() > 10  # percent-scale targets


def test_dump_infer_and_onnx_without_torch_agree_in_target_units(trained, data_root, tmp_path,
                                                                 capsys):
    _, config, checkpoint = trained
    dump = str(tmp_path / 'dump.csv')
    run_tool('tools/test.py', config, checkpoint, '--dump', dump, '--work-dir',
             str(tmp_path / 'test'))
    expected = read_column(dump, 'pred')
    assert len(expected) == 8
    train_mean = sum(labels(osp.join(data_root, 'train.csv'))) / 4
    # An untrained-looking standardised output (about 0) is about the training mean in units.
    assert all(abs(value - train_mean) < 40 for value in expected.values())
    assert max(abs(value) for value in expected.values()) > 1  # not standardised values
    test_csv = osp.join(data_root, 'test.csv')
    assert infer_files(checkpoint, [test_csv], out=str(tmp_path / 'pt')) == 0
    onnx = str(tmp_path / 'model.onnx')
    export_checkpoint(checkpoint, onnx, exporter='legacy')
    capsys.readouterr()
    run_tool('tools/infer.py', onnx, '--backend', 'onnxruntime', test_csv, '--out',
             str(tmp_path / 'ort'), env=torch_blocking_env(tmp_path))
    for name in ('pt', 'ort'):
        got = read_column(str(tmp_path / f'{name}.csv'), 'value')
        assert set(got) == set(expected)
        for video, value in expected.items():
            assert got[video] == pytest.approx(value, abs=1e-3), (name, video)


def test_a_learning_rate_that_explodes_in_epoch_2_exits_2_and_keeps_epoch_1(data_root,
                                                                            tmp_path):
    cfg = tiny_csv_regression_config(data_root, max_epochs=3)
    cfg.param_scheduler = [dict(type='MultiStepLR', milestones=[1], gamma=1e30, by_epoch=True)]
    config = tmp_path / 'exploding.py'
    config.write_text(resolved_config_text(cfg))
    work_dir = tmp_path / 'work'
    result = run_tool('tools/train.py', str(config), '--work-dir', str(work_dir), expect=2)
    error = result.stderr.strip()
    assert error.startswith('error: training diverged at epoch 2, iteration '), error
    assert len(error.splitlines()) == 1 and 'Traceback' not in result.stderr
    assert f'the last good checkpoint, {work_dir / "epoch_1.pth"}, is kept' in error
    files = os.listdir(work_dir)
    assert 'epoch_1.pth' in files and 'epoch_2.pth' not in files
    assert (work_dir / 'last_checkpoint').read_text().strip().endswith('epoch_1.pth')
    state = load_checkpoint_file(str(work_dir / 'epoch_1.pth'))['state_dict']
    assert all(torch.isfinite(value).all() for value in state.values())
    summary = json.loads((work_dir / 'summary.json').read_text())  # the epoch it finished
    assert [h['epoch'] for h in summary['history']] == [1]
    assert summary['stopped'].startswith('TrainingDivergedError: training diverged at epoch 2')
    assert 'Training summary (stopped after epoch 1)' in ' '.join(result.stdout.split())
