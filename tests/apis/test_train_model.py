"""Ordinary mistakes on the command line of tools/train.py and tools/test.py: one `error:` line,
exit code 2, before anything is built (run in-process through run_cli, as the tools run)."""
import argparse
import importlib.util
import os.path as osp

import pytest
import train  # tools/ is on sys.path (conftest.py)

from vidreg.engine.entrypoint import run_cli

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')
# tools/test.py by its path: `import test` could find the standard library's package.
_SPEC = importlib.util.spec_from_file_location('test_tool', osp.join(REPO, 'tools', 'test.py'))
test_tool = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(test_tool)


def error_of(tool, argv, monkeypatch, capsys) -> str:
    """Run ``tool`` as its command line would; it must exit 2 with one `error:` line."""
    monkeypatch.setattr('sys.argv', [f'{tool.__name__}.py', *argv])
    with pytest.raises(SystemExit) as stop:
        run_cli(tool.main)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith('error: ') and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize('option, wanted', [
    ('train_dataloader.batch_szie=2', "Did you mean 'batch_size'"),
    ('default_hooks.checkpoint.intervl=2', "Did you mean 'interval'"),
    ('lr=0.0.1', 'lr expects a number > 0'),
    ('max_epochs=ten', 'max_epochs expects an integer >= 1'),
    ('batch_size=-4', 'batch_size expects an integer >= 1'),
    ('num_frames=0', 'num_frames expects an integer >= 1'),
    ('img_size=abc', 'img_size expects an integer >= 1'),
])
def test_bad_options_stop_training_before_anything_is_built(tmp_path, monkeypatch, capsys,
                                                            option, wanted):
    work_dir = tmp_path / 'work'
    err = error_of(train, [DEMO, '--work-dir', str(work_dir), '--cfg-options',
                           f'data_root={tmp_path / "data"}', option], monkeypatch, capsys)
    assert wanted in err
    assert not work_dir.exists() and not (tmp_path / 'data').exists()


@pytest.mark.parametrize('config, wanted', [
    ('configs/_base_/datasets/synthetic.py', 'is not a complete config: it defines no model'),
    ('settings.yaml', 'is not a Python config'),
])
def test_a_fragment_or_a_yaml_file_as_the_config_says_what_a_config_is(tmp_path, monkeypatch,
                                                                       capsys, config, wanted):
    (tmp_path / 'settings.yaml').write_text('model:\n  type: Recognizer\n')
    path = osp.join(REPO, config) if config.startswith('configs') else str(tmp_path / config)
    err = error_of(train, [path, '--work-dir', str(tmp_path / 'work')], monkeypatch, capsys)
    assert wanted in err and 'configs/' in err


def test_a_head_with_fewer_classes_than_the_data_is_refused_before_building(
        tmp_path, monkeypatch, capsys):
    err = error_of(train, [osp.join(REPO, 'configs', 'restcn_csv.py'), '--work-dir',
                           str(tmp_path / 'work'), '--cfg-options', f'data_root={tmp_path}',
                           'num_classes=6', 'model.head.num_classes=3'], monkeypatch, capsys)
    assert 'model.head has num_classes=3' in err and '--cfg-options num_classes=6' in err


def test_resume_and_overwrite_exclude_each_other(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        train.parse_args([DEMO, '--resume', '--overwrite'])
    assert stop.value.code == 2 and 'not allowed with argument' in capsys.readouterr().err


def test_swapped_test_arguments_say_the_order(tmp_path, monkeypatch, capsys):
    checkpoint = tmp_path / 'epoch_1.pth'
    checkpoint.write_bytes(b'PK\x03\x04')
    err = error_of(test_tool, [str(checkpoint), DEMO], monkeypatch, capsys)
    assert 'the config comes first: python tools/test.py CONFIG CHECKPOINT' in err
    assert f'python tools/test.py {DEMO} {checkpoint}' in err


def test_dump_into_a_folder_writes_predictions_csv_there(tmp_path):
    assert test_tool.dump_file(str(tmp_path)) == str(tmp_path / 'predictions.csv')
    assert test_tool.dump_file('new/') == osp.join('new', 'predictions.csv')
    assert test_tool.dump_file('preds.csv') == 'preds.csv'
    with pytest.raises(argparse.ArgumentTypeError, match="'preds' is no .csv file"):
        test_tool.dump_file('preds')
