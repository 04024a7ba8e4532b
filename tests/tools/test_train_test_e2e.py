"""train -> checkpoint -> resume -> test through the real tools/ entry points, on CPU."""
import csv
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch
from mmengine.config import Config

from vidreg.apis import checkpoint_config
from vidreg.testing.free_port import free_port
from vidreg.utils.checkpoint import load_checkpoint_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')
pytestmark = pytest.mark.slow


def tiny_options(data_root, max_epochs, num_workers=0):
    # Knobs shrink every dataloader, pipeline and the generator at once.
    return [f'data_root={data_root}', 'videos_per_class=(6,3,3)', 'num_frames=4', 'img_size=32',
            'batch_size=6', f'num_workers={num_workers}', f'max_epochs={max_epochs}',
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


# The shipped loader settings: 2 workers, persistent (the configs set persistent_workers when
# num_workers > 0). Resuming must be exact with them too.
SHIPPED_WORKERS = 2


@pytest.fixture(scope='module')
def uninterrupted_run(tmp_path_factory, data_root):
    """The work dir and the console output of a 3-epoch run."""
    work_dir = str(tmp_path_factory.mktemp('full'))
    out = run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
                   *tiny_options(data_root, 3, SHIPPED_WORKERS))
    return work_dir, out


@pytest.fixture(scope='module')
def uninterrupted(uninterrupted_run):
    return uninterrupted_run[0]


def read_logs(work_dir):
    """The full mmengine logs of every run in ``work_dir`` (one file per run and rank 0)."""
    text = ''
    for path in sorted(glob.glob(osp.join(work_dir, '*', '*.log'))):
        with open(path, encoding='utf-8') as f:
            text += f.read()
    return text


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
    assert all('val/acc/top1' in h and 'val/loss' in h for h in summary['history'])
    assert summary['best_checkpoint'].startswith(uninterrupted)
    # The class-index map travels with the weights (ClassMapHook checks it at test time).
    meta = load_checkpoint_file(osp.join(uninterrupted, 'epoch_3.pth'))['meta']['dataset_meta']
    assert meta['task'] == 'classification' and len(meta['classes']) == 6
    assert not any(name.isdigit() for name in meta['classes'])
    # ... and so does the resolved config (knobs applied), all that tools/infer.py needs.
    checkpoint = load_checkpoint_file(osp.join(uninterrupted, 'epoch_3.pth'))
    cfg = checkpoint_config(checkpoint, 'epoch_3.pth')
    assert cfg.test_dataloader.dataset.pipeline[1]['num_frames'] == 4  # num_frames=4 reached it


def test_console_is_for_people_and_the_log_file_has_everything(uninterrupted_run):
    work_dir, out = uninterrupted_run
    log = read_logs(work_dir)
    for line in ('Hooks will be executed in the following order', 'Epoch(train) [1][1/',
                 'Epoch(val) [3][', 'val/loss: ', 'System environment'):
        assert line in log and line not in out, line
    assert 'full log: ' in out and 'epoch 3 val: acc/top1 ' in out and ' loss ' in out
    assert 'Training summary' in out
    # The work dir keeps the config as it ran: the num_frames knob reached every pipeline.
    resolved = Config.fromfile(osp.join(work_dir, 'restcn_synthetic.py'))
    assert resolved.val_dataloader.dataset.pipeline[1].num_frames == 4
    assert Config.fromfile(CONFIG).val_dataloader.dataset.pipeline[1].num_frames == 8


def train_until_killed(work_dir, data_root, *kill_at, config=CONFIG, env=None):
    """Start a 3-epoch run and SIGKILL it once a line of its log file contains all of
    ``kill_at``."""
    process = subprocess.Popen(
        [sys.executable, 'tools/train.py', config, '--work-dir', work_dir, '--cfg-options',
         *tiny_options(data_root, 3, SHIPPED_WORKERS)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})})
    deadline = time.monotonic() + 600
    lines = []
    while process.poll() is None and time.monotonic() < deadline:
        lines = read_logs(work_dir).splitlines()
        if any(all(part in line for part in kill_at) for line in lines):
            process.kill()  # SIGKILL: no chance to clean up
            break
        time.sleep(0.02)
    else:
        process.kill()
    process.wait()
    assert process.returncode == -signal.SIGKILL, '\n'.join(lines[-50:])


def check_kill_and_resume(tmp_path, data_root, uninterrupted, config=CONFIG, env=None):
    """Kill a run of ``config`` early in epoch 2, resume it: it must end as ``uninterrupted``."""
    work_dir = str(tmp_path / 'resumed')
    train_until_killed(work_dir, data_root, 'Epoch(train)', '[2][1/', config=config, env=env)
    assert 'epoch_1.pth' in os.listdir(work_dir) and 'epoch_2.pth' not in os.listdir(work_dir)
    out = run_tool('tools/train.py', config, '--work-dir', work_dir, '--resume',
                   '--cfg-options', *tiny_options(data_root, 3, SHIPPED_WORKERS), env=env)
    assert 'resumed' in out.lower()
    full, resumed = read_summary(uninterrupted), read_summary(work_dir)
    assert [h['epoch'] for h in resumed['history']] == [1, 2, 3]  # history survives the kill
    for a, b in zip(full['history'], resumed['history']):
        assert a['val/acc/top1'] == pytest.approx(b['val/acc/top1'])
        assert a['train_loss'] == pytest.approx(b['train_loss'], rel=1e-5)
        assert a['val/loss'] == pytest.approx(b['val/loss'], rel=1e-5)
    assert full['best_epoch'] == resumed['best_epoch']
    weights_full = torch.load(osp.join(uninterrupted, 'epoch_3.pth'), weights_only=False)
    weights_resumed = torch.load(osp.join(work_dir, 'epoch_3.pth'), weights_only=False)
    for key, value in weights_full['state_dict'].items():
        assert torch.allclose(value.float(), weights_resumed['state_dict'][key].float(),
                              atol=1e-5), key
    best_files = [f for f in os.listdir(work_dir) if f.startswith('best_')]
    assert len(best_files) == 1


# A plugin-style transform that draws from torch's RNG (per-sample seeded, docs/plugins.md).
TORCH_RNG_PLUGIN = """
import numpy as np
import torch

from vidreg.pipeline import PipelineStep
from vidreg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class TorchRandomBrightness(PipelineStep):
    accepts_frame_map = True

    def transform(self, results):
        if not results.get('test_mode', False):
            shift = int(torch.randint(-40, 41, ()))
            brighter = results['imgs'].astype(np.int16) + shift
            results['imgs'] = np.clip(brighter, 0, 255).astype(np.uint8)
        return results
"""


def test_killed_and_resumed_run_matches_uninterrupted(tmp_path, data_root):
    """Killed in epoch 2 and resumed, a run ends as one never interrupted: the shipped demo's
    training pipeline (its sampler draws from NumPy) plus a plugin step that draws from
    torch's RNG, on the shipped loader settings (2 persistent workers)."""
    (tmp_path / 'torch_rng_brightness.py').write_text(TORCH_RNG_PLUGIN)
    config = tmp_path / 'torch_rng.py'  # relative _base_: the knobs of tiny_options still apply
    config.write_text(f"""_base_ = [{osp.relpath(CONFIG, tmp_path)!r}]
custom_imports = dict(imports=['torch_rng_brightness'], allow_failed_imports=False)
# Persistent workers: their torch streams run on across epochs, so only per-sample seeds resume.
train_dataloader = dict(num_workers=2, persistent_workers=True, dataset=dict(pipeline=[
    dict(type='OpenVideo'), dict(type='UniformSampleFrames', num_frames=4),
    dict(type='DecodeFrames'), dict(type='Resize', scale=(32, 32)),
    dict(type='AugmentClip', policy='none'), dict(type='RandomErasing', prob=0.0),
    dict(type='TorchRandomBrightness'), dict(type='PackVideoInputs')]))
""")
    shipped = [step['type'] for step in Config.fromfile(CONFIG).train_dataloader.dataset.pipeline]
    derived = Config.fromfile(config, import_custom_modules=False)
    steps = [step['type'] for step in derived.train_dataloader.dataset.pipeline]
    assert steps == shipped[:-1] + ['TorchRandomBrightness', shipped[-1]]  # the shipped one + 1
    env = dict(PYTHONPATH=os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get('PYTHONPATH')])]))
    full = str(tmp_path / 'full')
    run_tool('tools/train.py', str(config), '--work-dir', full, '--cfg-options',
             *tiny_options(data_root, 3), env=env)
    check_kill_and_resume(tmp_path, data_root, full, config=str(config), env=env)


def test_test_tool_reproduces_validation_metrics_and_dumps(tmp_path, data_root, uninterrupted):
    summary = read_summary(uninterrupted)
    checkpoint = summary['best_checkpoint']
    dump = str(tmp_path / 'preds.csv')
    out = run_tool('tools/test.py', CONFIG, checkpoint, '--split', 'val', '--dump', dump,
                   '--work-dir', str(tmp_path / 'test'), '--cfg-options',
                   *tiny_options(data_root, 3))
    best = next(h for h in summary['history'] if h['epoch'] == summary['best_epoch'])
    assert f"{best['val/acc/top1']:.4f}" in out
    assert f"{best['val/loss']:.4f}" in out  # the loss too: same data, same forward pass
    with open(dump) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 * 3  # one row per validation video
    assert {'path', 'label', 'pred', 'score_grow', 'score_rotate_ccw'} <= set(rows[0])
    accuracy = sum(r['label'] == r['pred'] for r in rows) / len(rows)
    assert accuracy == pytest.approx(best['val/acc/top1'])
    assert osp.isfile(str(tmp_path / 'test' / 'confusion_matrix.png'))


def start_dist(script, *args, **env):
    """Start ``bash tools/<script> ARGS`` with the variables ``env`` added."""
    return subprocess.Popen(['bash', script, *args], cwd=REPO, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHON': sys.executable,
                                 **{name: str(value) for name, value in env.items()}})


def finish(process):
    """Wait for a :func:`start_dist` process; it must succeed. Returns its output."""
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, out[-3000:] + err[-3000:]
    return out + err


def run_dist(script, *args, **env):
    return finish(start_dist(script, *args, **env))


def files_under(folder):
    return sorted(osp.relpath(osp.join(root, name), folder)
                  for root, _, names in os.walk(folder) for name in names)


def test_resume_on_two_processes_one_node_or_two_then_test(tmp_path, data_root, uninterrupted):
    """The 1-process run's epoch-2 checkpoint, resumed for epoch 3 on 2 processes: one node,
    and two "nodes" of one process each (the second with a work dir of its own, as without a
    shared disk), train the same epoch; only rank 0 writes; then 2 processes test."""
    checkpoint = osp.join(uninterrupted, 'epoch_2.pth')
    options = ['--resume', checkpoint, '--cfg-options', *tiny_options(data_root, 3)]
    one_node, two_nodes, node1 = (str(tmp_path / name) for name in ('one', 'two', 'node1'))
    out = run_dist('tools/dist_train.sh', CONFIG, '2', '--work-dir', one_node, *options)
    nodes = dict(NNODES=2, MASTER_ADDR='127.0.0.1', PORT=free_port())
    second = start_dist('tools/dist_train.sh', CONFIG, '1', '--work-dir', node1, *options,
                        NODE_RANK=1, **nodes)
    first = start_dist('tools/dist_train.sh', CONFIG, '1', '--work-dir', two_nodes, *options,
                       NODE_RANK=0, **nodes)
    out_nodes, _ = finish(first), finish(second)
    for text in (out, out_nodes):  # the console says how the sample order was mapped
        assert 'written by 1 process, resumed with 2: epoch 3 starts at position 0' in text
        assert 'Epoch(train)' not in text  # the console of every rank stays quiet
    log = read_logs(one_node)
    assert 'Distributed launcher: pytorch' in log and 'Distributed training: True' in log
    single, one, two = (read_summary(d)['history'] for d in (uninterrupted, one_node, two_nodes))
    assert [h['epoch'] for h in one] == [1, 2, 3] and one[:2] == single[:2]
    assert one[2] == two[2] and one[2]['train_loss'] != single[2]['train_loss']
    weights = [load_checkpoint_file(osp.join(d, 'epoch_3.pth'))['state_dict']
               for d in (one_node, two_nodes)]
    assert all(torch.equal(weights[0][key], weights[1][key]) for key in weights[0])
    assert load_checkpoint_file(osp.join(one_node, 'epoch_3.pth'))['meta']['world_size'] == 2
    assert files_under(node1) == []  # rank 1 wrote nothing: no checkpoint, log or summary
    assert len([f for f in files_under(one_node) if f.endswith('.log')]) == 1
    dump = str(tmp_path / 'dist_preds.csv')
    out = run_dist('tools/dist_test.sh', CONFIG, osp.join(one_node, 'epoch_3.pth'), '2',
                   '--split', 'val', '--dump', dump, '--work-dir', str(tmp_path / 'dist_test'),
                   '--cfg-options', *tiny_options(data_root, 3))
    with open(dump) as f:
        rows = list(csv.DictReader(f))
    assert sorted(r['path'] for r in rows) == sorted(set(r['path'] for r in rows))
    assert len(rows) == 6 * 3  # every validation video once, gathered from both processes
    assert 'acc/top1' in out
    # Both processes validated the model they saved: BatchNorm statistics synced each epoch.
    assert f"{one[2]['val/loss']:.4f}" in out and f"{one[2]['val/acc/top1']:.4f}" in out
