"""tools/train.py stops before building when the head does not fit the data's task."""
import os.path as osp

import pytest
import train  # tools/ is on sys.path (conftest.py)

from vidreg.config import ConfigError
from vidreg.engine.entrypoint import run_cli

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_classification_config_on_regression_data_names_the_regression_config(
        tmp_path, monkeypatch, capsys):
    argv = [osp.join(REPO, 'configs', 'restcn_csv.py'), '--work-dir', str(tmp_path),
            '--cfg-options', f'data_root={tmp_path}', 'task=regression', 'num_classes=None']
    with pytest.raises(ConfigError, match=r"task='regression'.*restcn_csv_regression\.py instead"):
        train.main(argv)
    # What the command line prints: one error, no traceback, exit code 2.
    monkeypatch.setattr('sys.argv', ['train.py', *argv])
    with pytest.raises(SystemExit) as stop:
        run_cli(train.main)
    assert stop.value.code == 2
    message = ' '.join(capsys.readouterr().err.split())  # rich wraps to the terminal width
    assert message.startswith('error: ') and 'restcn_csv_regression.py instead' in message
    assert 'Traceback' not in message
