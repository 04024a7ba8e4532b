"""configs/restcn_csv_regression.py on a two-column float CSV through tools/, on CPU.

The model is initialised from a local pretrained file; once that file is deleted (and
TORCH_HOME points at an empty folder) the checkpoint still tests, resumes and loads via
``load_from``. (That training from scratch still needs the file is tested in
tests/engine/test_runner_init_weights.py.)
"""
import csv
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
import torchvision

from vidreg.preparation.synthetic_videos import generate_synthetic_dataset

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'restcn_csv_regression.py')
pytestmark = pytest.mark.slow


def run_tool(*args, env=None, expect=0):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})},
                            timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == expect, output[-4000:]
    return output


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    """path,change,magnitude CSVs: the synthetic signed change in [-1, 1] and its size."""
    root = tmp_path_factory.mktemp('csv_regression')
    paths = generate_synthetic_dataset(root / 'synthetic', num_classes=2,
                                       videos_per_class=(4, 2, 2), num_frames_range=(8, 8),
                                       size=(32, 32), progress=False)
    for split, name in (('train', 'train.csv'), ('val', 'validation.csv'),
                        ('test', 'test.csv')):
        with open(paths[f'{split}_regression']) as f, open(root / name, 'w', newline='') as out:
            writer = csv.writer(out)
            writer.writerow(['path', 'change', 'magnitude'])
            for row in csv.DictReader(f):
                writer.writerow([osp.join('synthetic', row['path']), row['label'],
                                 abs(float(row['label']))])
    return str(root)


def options(data_root, pretrained=None, max_epochs=1):
    """Tiny knobs; without ``pretrained`` the config's ``'ResNet18_Weights.IMAGENET1K_V1'``."""
    named = [] if pretrained is None else [f'pretrained={pretrained}']
    return ['--cfg-options', f'data_root={data_root}', *named,
            "label_columns=['change','magnitude']", 'output_range=(-1,1)', 'num_frames=4',
            'img_size=32', 'batch_size=4', 'num_workers=0', f'max_epochs={max_epochs}',
            'lr=0.01', 'tensorboard=False']


def last_log(work_dir):
    """The full log of the latest run in ``work_dir`` (the console shows warnings only)."""
    with open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1], encoding='utf-8') as f:
        return f.read()


@pytest.fixture(scope='module')
def trained(tmp_path_factory, data_root):
    """One epoch from a local pretrained file, which is then deleted."""
    tmp = tmp_path_factory.mktemp('pretrained_run')
    pretrained = tmp / 'resnet18_local.pth'
    torch.manual_seed(0)
    torch.save(torchvision.models.resnet18().state_dict(), pretrained)
    work_dir = str(tmp / 'work')
    run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, *options(data_root, pretrained))
    assert f"Loaded 120 tensors for ResNet2D from '{pretrained}'" in last_log(work_dir)
    pretrained.unlink()
    (tmp / 'empty_torch_home').mkdir()
    env = dict(TORCH_HOME=str(tmp / 'empty_torch_home'))
    return dict(work_dir=work_dir, pretrained=str(pretrained), env=env, tmp=tmp)


def test_checkpoint_tests_and_dumps_without_pretrained_file(trained, data_root):
    files = os.listdir(trained['work_dir'])
    assert 'epoch_1.pth' in files and any(f.startswith('best_reg_rmse_epoch_') for f in files)
    dump = trained['tmp'] / 'preds.csv'
    log = run_tool('tools/test.py', CONFIG, osp.join(trained['work_dir'], 'epoch_1.pth'),
                   '--work-dir', str(trained['tmp'] / 'test'), '--dump', str(dump),
                   *options(data_root), env=trained['env'])  # ImageNet weights not cached
    for name in ('mse', 'rmse', 'mae', 'pearson', 'spearman', 'ccc', 'r2'):
        assert f'reg/{name}' in log
    assert 'reg/change/ccc' in log and 'reg/magnitude/r2' in log  # each target by its column
    with open(osp.join(trained['work_dir'], 'summary.json')) as f:
        history = json.load(f)['history']
    assert {'val/reg/change/rmse', 'val/reg/magnitude/ccc'} <= set(history[0])
    with open(dump) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ['path', 'label_0', 'label_1', 'pred_0', 'pred_1']  # one per column
    assert len(rows) == 1 + 4
    assert all(-1 <= float(value) <= 1 for row in rows[1:] for value in row[3:])


def test_resume_without_pretrained_file(trained, data_root):
    run_tool('tools/train.py', CONFIG, '--work-dir', trained['work_dir'], '--resume',
             *options(data_root, trained['pretrained'], max_epochs=2), env=trained['env'])
    log = last_log(trained['work_dir'])
    assert 'init_weights() skipped' in log and 'Loaded 120 tensors' not in log
    assert 'epoch_2.pth' in os.listdir(trained['work_dir'])


def test_load_from_without_pretrained_file(trained, data_root):
    checkpoint = osp.join(trained['work_dir'], 'epoch_1.pth')
    run_tool('tools/train.py', CONFIG, '--work-dir', str(trained['tmp'] / 'finetune'),
             *options(data_root, trained['pretrained']), f'load_from={checkpoint}',
             env=trained['env'])
    assert 'init_weights() skipped' in last_log(str(trained['tmp'] / 'finetune'))

