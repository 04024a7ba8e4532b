"""train -> checkpoint -> resume -> test through the real tools/ entry points, on CPU."""
import csv
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from vidreg.apis import checkpoint_config
from vidreg.utils.checkpoint import load_checkpoint_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')
pytestmark = pytest.mark.slow


def tiny_options(data_root, max_epochs):
    # Knobs shrink every dataloader, pipeline and the generator at once.
    return [f'data_root={data_root}', 'videos_per_class=(6,3,3)', 'num_frames=4', 'img_size=32',
            'batch_size=6', 'num_workers=0', f'max_epochs={max_epochs}',
            'default_hooks.logger.interval=1', 'tensorboard=False']


def run_tool(*args, env=None):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})},
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp('synthetic'))


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory, data_root):
    work_dir = str(tmp_path_factory.mktemp('full'))
    run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
             *tiny_options(data_root, 3))
    return work_dir


def read_summary(work_dir):
    with open(osp.join(work_dir, 'summary.json')) as f:
        return json.load(f)


def test_training_writes_checkpoints_summary_and_curves(uninterrupted):
    files = set(os.listdir(uninterrupted))
    assert {'epoch_2.pth', 'epoch_3.pth', 'last_checkpoint', 'summary.json', 'curves.png'} <= files
    assert 'epoch_1.pth' not in files  # max_keep_ckpts=2
    assert any(f.startswith('best_acc_top1_epoch_') for f in files)
    assert not any(f.endswith('.tmp') for f in files)
    summary = read_summary(uninterrupted)
    assert [h['epoch'] for h in summary['history']] == [1, 2, 3]
    assert all('val/acc/top1' in h for h in summary['history'])
    assert summary['best_checkpoint'].startswith(uninterrupted)
    # The class-index map travels with the weights (ClassMapHook checks it at test time).
    meta = load_checkpoint_file(osp.join(uninterrupted, 'epoch_3.pth'))['meta']['dataset_meta']
    assert meta['task'] == 'classification' and len(meta['classes']) == 6
    assert not any(name.isdigit() for name in meta['classes'])
    # ... and so does the resolved config (knobs applied), all that tools/infer.py needs.
    checkpoint = load_checkpoint_file(osp.join(uninterrupted, 'epoch_3.pth'))
    cfg = checkpoint_config(checkpoint, 'epoch_3.pth')
    assert cfg.test_dataloader.dataset.pipeline[1]['num_frames'] == 4  # num_frames=4 reached it


def train_until_killed(work_dir, data_root, *kill_at):
    """Start a 3-epoch run and SIGKILL it once a log line contains all of ``kill_at``."""
    process = subprocess.Popen(
        [sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
         *tiny_options(data_root, 3)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, 'OMP_NUM_THREADS': '1'})
    log = []
    for line in process.stdout:
        log.append(line)
        if all(part in line for part in kill_at):
            process.kill()  # SIGKILL: no chance to clean up
            break
    process.wait()
    assert all(part in log[-1] for part in kill_at), ''.join(log[-50:])


def test_killed_and_resumed_run_matches_uninterrupted(tmp_path, data_root, uninterrupted):
    work_dir = str(tmp_path / 'resumed')
    train_until_killed(work_dir, data_root, 'Epoch(train)', '[2][1/')  # early in epoch 2
    assert 'epoch_1.pth' in os.listdir(work_dir) and 'epoch_2.pth' not in os.listdir(work_dir)
    out = run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, '--resume',
                   '--cfg-options', *tiny_options(data_root, 3))
    assert 'resumed' in out.lower()
    full, resumed = read_summary(uninterrupted), read_summary(work_dir)
    assert [h['epoch'] for h in resumed['history']] == [1, 2, 3]  # history survives the kill
    for a, b in zip(full['history'], resumed['history']):
        assert a['val/acc/top1'] == pytest.approx(b['val/acc/top1'])
        assert a['train_loss'] == pytest.approx(b['train_loss'], rel=1e-5)
    assert full['best_epoch'] == resumed['best_epoch']
    weights_full = torch.load(osp.join(uninterrupted, 'epoch_3.pth'), weights_only=False)
    weights_resumed = torch.load(osp.join(work_dir, 'epoch_3.pth'), weights_only=False)
    for key, value in weights_full['state_dict'].items():
        assert torch.allclose(value.float(), weights_resumed['state_dict'][key].float(),
                              atol=1e-5), key
    best_files = [f for f in os.listdir(work_dir) if f.startswith('best_')]
    assert len(best_files) == 1


def test_test_tool_reproduces_validation_metrics_and_dumps(tmp_path, data_root, uninterrupted):
    summary = read_summary(uninterrupted)
    checkpoint = summary['best_checkpoint']
    dump = str(tmp_path / 'preds.csv')
    out = run_tool('tools/test.py', CONFIG, checkpoint, '--split', 'val', '--dump', dump,
                   '--work-dir', str(tmp_path / 'test'), '--cfg-options',
                   *tiny_options(data_root, 3))
    best = next(h for h in summary['history'] if h['epoch'] == summary['best_epoch'])
    assert f"{best['val/acc/top1']:.4f}" in out
    with open(dump) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 * 3  # one row per validation video
    assert {'path', 'label', 'pred', 'score_grow', 'score_rotate_ccw'} <= set(rows[0])
    accuracy = sum(r['label'] == r['pred'] for r in rows) / len(rows)
    assert accuracy == pytest.approx(best['val/acc/top1'])
    assert osp.isfile(str(tmp_path / 'test' / 'confusion_matrix.png'))


def run_dist(script, *args, port):
    result = subprocess.run(['bash', script, *args], cwd=REPO, capture_output=True, text=True,
                            timeout=600,
                            env={**os.environ, 'PORT': str(port), 'OMP_NUM_THREADS': '1'})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_two_process_gloo_training_and_testing(tmp_path, data_root):
    work_dir = str(tmp_path / 'dist')
    out = run_dist('tools/dist_train.sh', CONFIG, '2', '--work-dir', work_dir, '--cfg-options',
                   *tiny_options(data_root, 1), port=29517)
    assert 'Distributed launcher: pytorch' in out and 'Distributed training: True' in out
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(checkpoint)
    dump = str(tmp_path / 'dist_preds.csv')
    out = run_dist('tools/dist_test.sh', CONFIG, checkpoint, '2', '--split', 'val', '--dump',
                   dump, '--work-dir', str(tmp_path / 'dist_test'), '--cfg-options',
                   *tiny_options(data_root, 1), port=29518)
    with open(dump) as f:
        rows = list(csv.DictReader(f))
    assert sorted(r['path'] for r in rows) == sorted(set(r['path'] for r in rows))
    assert len(rows) == 6 * 3  # every validation video once, gathered from both processes
    assert 'acc/top1' in out
