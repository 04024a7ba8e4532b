"""VidregRunner: a console for people, the full log in the work dir, the resolved config dumped."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from torch import nn

from vidreg.config import load_config
from vidreg.engine.runner import VidregRunner


def build(tmp_path, cfg=None):
    return VidregRunner(model=nn.Linear(2, 2), work_dir=str(tmp_path / 'work'),
                        experiment_name=tmp_path.name, default_scope='vidreg',
                        cfg=cfg if cfg is not None else Config({}))


def read_log(work_dir):
    (log_file,) = glob.glob(osp.join(work_dir, '*', '*.log'))
    with open(log_file, encoding='utf-8') as f:
        return log_file, f.read()


def test_console_shows_warnings_and_the_log_file_everything(tmp_path, capsys):
    runner = build(tmp_path)
    runner.logger.info('an info line')
    runner.logger.warning('a warning line')
    out = capsys.readouterr().out
    log_file, log = read_log(str(tmp_path / 'work'))
    assert 'Hooks will be executed' in log and 'an info line' in log and 'a warning line' in log
    assert 'Hooks will be executed' not in out and 'System environment' not in out
    assert 'an info line' not in out and 'a warning line' in out
    assert f'full log: {log_file}' in out


def test_mmengines_checkpoint_notice_goes_to_the_log_file_only(tmp_path, capsys):
    runner = build(tmp_path)
    path = str(tmp_path / 'weights.pth')
    torch.save(dict(state_dict=runner.model.state_dict()), path)
    capsys.readouterr()
    runner.load_checkpoint(path)
    out = capsys.readouterr().out
    assert 'Loads checkpoint' not in out  # mmengine print()s it
    assert f'backend from path: {path}' in read_log(str(tmp_path / 'work'))[1]


def test_console_log_level_info_shows_everything(tmp_path, capsys):
    runner = build(tmp_path, Config(dict(console_log_level='INFO')))
    runner.logger.info('an info line')
    assert 'an info line' in capsys.readouterr().out


def test_bad_console_log_level_is_named(tmp_path):
    with pytest.raises(ValueError, match="console_log_level.*'LOUD'"):
        build(tmp_path, Config(dict(console_log_level='LOUD')))


def test_work_dir_gets_the_resolved_config(tmp_path):
    (tmp_path / '_base_').mkdir()
    (tmp_path / '_base_' / 'data.py').write_text(
        "num_frames = 16\n"
        "pipeline = [dict(type='UniformSampleFrames', num_frames=num_frames)]\n")
    leaf = tmp_path / 'leaf.py'
    leaf.write_text("_base_ = ['./_base_/data.py']\nnum_frames = 4\n")
    assert Config.fromfile(str(leaf)).pipeline[0].num_frames == 16  # what plain mmengine shows
    build(tmp_path, load_config(str(leaf)))
    dumped = tmp_path / 'work' / 'leaf.py'
    assert dumped.read_text().startswith(f'# Resolved config of {leaf}\n')
    assert Config.fromfile(str(dumped)).pipeline[0].num_frames == 4  # what vidreg runs
