"""tools/print_config.py prints the config vidreg runs, not what plain mmengine reads."""
import os.path as osp

import print_config
import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')


def test_prints_the_resolved_config_with_its_options(tmp_path, capsys):
    print_config.main([CONFIG, '--cfg-options', 'num_frames=4', 'model.head.dropout=0.5'])
    text = capsys.readouterr().out
    assert text.startswith(f'# Resolved config of {CONFIG}\n')
    printed = tmp_path / 'printed.py'
    printed.write_text(text)
    cfg = Config.fromfile(str(printed))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[loader].dataset.pipeline[1].num_frames == 4  # the knob reached every pipeline
    assert cfg.model.head.dropout == 0.5
    assert cfg.work_dir == osp.join('work_dirs', 'restcn_synthetic')  # as tools/train.py sets it
    plain = Config.fromfile(CONFIG)  # what mmengine alone shows: the fragment's default
    assert plain.train_dataloader.dataset.pipeline[1].num_frames == 8


def test_an_unknown_config_is_a_user_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        print_config.run_cli(lambda argv: print_config.main(['configs/nope.py']))
    assert exit_info.value.code == 2
    assert 'nope.py' in capsys.readouterr().err
