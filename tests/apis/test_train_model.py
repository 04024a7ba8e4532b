"""Ordinary mistakes in what tools/train.py is given: one `error:` line, exit code 2, before
anything is built (through run_cli, as the tool runs train_model)."""
import errno
import os.path as osp
import shlex

import pytest
import torch
from mmengine.fileio.backends.local_backend import LocalBackend

from vidreg.apis import train_model
from vidreg.config import ConfigError
from vidreg.engine.entrypoint import run_cli
from vidreg.plugins import REPO_ROOT
from vidreg.testing.tiny_checkpoint import tiny_config

DEMO = osp.join(REPO_ROOT, 'configs', 'demo', 'restcn_synthetic.py')


def error_of(call, capsys) -> str:
    """Run ``call`` as the command line does; it must exit 2 with one `error:` line."""
    with pytest.raises(SystemExit) as stop:
        run_cli(lambda _: call())
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith('error: ') and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize('option, wanted', [
    ({'train_dataloader.batch_szie': 2}, "Did you mean 'batch_size'"),
    ({'default_hooks.checkpoint.intervl': 2}, "Did you mean 'interval'"),
    ({'lr': '0.0.1'}, 'lr expects a number > 0'),
    ({'max_epochs': 'ten'}, 'max_epochs expects an integer >= 1'),
    ({'batch_size': -4}, 'batch_size expects an integer >= 1'),
    ({'num_frames': 0}, 'num_frames expects an integer >= 1'),
    ({'img_size': 'abc'}, 'img_size expects an integer >= 1'),
])
def test_bad_options_stop_training_before_anything_is_built(tmp_path, capsys, option, wanted):
    work_dir = tmp_path / 'work'
    err = error_of(lambda: train_model(DEMO, work_dir=str(work_dir), cfg_options={
        'data_root': str(tmp_path / 'data'), **option}), capsys)
    assert wanted in err
    assert not work_dir.exists() and not (tmp_path / 'data').exists()


@pytest.mark.parametrize('config, wanted', [
    ('configs/_base_/datasets/synthetic.py', 'is not a complete config: it defines no model'),
    ('settings.yaml', 'is not a Python config'),
])
def test_a_fragment_or_a_yaml_file_as_the_config_says_what_a_config_is(tmp_path, capsys, config,
                                                                       wanted):
    (tmp_path / 'settings.yaml').write_text('model:\n  type: Recognizer\n')
    path = osp.join(REPO_ROOT, config) if config.startswith('configs') else str(tmp_path / config)
    err = error_of(lambda: train_model(path, work_dir=str(tmp_path / 'work')), capsys)
    assert wanted in err and 'configs/' in err


def test_a_head_with_fewer_classes_than_the_data_is_refused_before_building(tmp_path, capsys):
    err = error_of(lambda: train_model(
        osp.join(REPO_ROOT, 'configs', 'restcn_csv.py'), work_dir=str(tmp_path / 'work'),
        cfg_options={'data_root': str(tmp_path), 'num_classes': 6,
                     'model.head.num_classes': 3}), capsys)
    assert 'model.head has num_classes=3' in err and '--cfg-options num_classes=6' in err


def test_classification_config_on_regression_data_names_the_regression_config(tmp_path, capsys):
    def train():
        train_model(osp.join(REPO_ROOT, 'configs', 'restcn_csv.py'), work_dir=str(tmp_path),
                    cfg_options={'data_root': str(tmp_path), 'task': 'regression',
                                 'num_classes': None})

    with pytest.raises(ConfigError, match=r"task='regression'.*restcn_csv_regression\.py instead"):
        train()
    message = ' '.join(error_of(train, capsys).split())  # rich wraps to the terminal width
    assert 'restcn_csv_regression.py instead' in message and 'Traceback' not in message


@pytest.mark.slow  # trains the tiny model for two epochs
def test_a_full_disk_says_how_to_continue_with_resume(tmp_path, monkeypatch, capsys):
    """The second checkpoint write hits a full disk (injected at mmengine's file write)."""
    config = str(tmp_path / 'tiny.py')
    tiny_config(data_root=str(tmp_path / 'data')).dump(config)
    real_put = LocalBackend.put

    def put(self, obj, filepath):
        if '.epoch_2.pth.' in osp.basename(filepath):
            raise OSError(errno.ENOSPC, 'No space left on device')
        return real_put(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', put)
    work_dir = str(tmp_path / 'work')
    argv = ['tools/train.py', config, '--work-dir', work_dir, '--cfg-options',
            'train_cfg.max_epochs=3']
    monkeypatch.setattr('sys.argv', argv)  # the command the advice repeats
    with pytest.raises(SystemExit) as stop:
        run_cli(lambda _: train_model(config, work_dir=work_dir,
                                      cfg_options={'train_cfg.max_epochs': 3}))
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith('error: ') and 'no space left on device while writing' in err
    assert err.endswith(f'free some space, then continue the run with: python {shlex.join(argv)} '
                        f'--resume'), err
    assert not osp.exists(osp.join(work_dir, 'train.lock'))


@pytest.mark.skipif(torch.cuda.is_available(), reason='the CPU case')
def test_amp_on_the_cpu_names_the_bf16_option(tmp_path, capsys):
    err = error_of(lambda: train_model(DEMO, work_dir=str(tmp_path / 'work'), amp=True,
                                       cfg_options={'data_root': str(tmp_path / 'data')}), capsys)
    assert '--amp (fp16) needs a GPU' in err and 'optim_wrapper.dtype=bfloat16' in err
