"""run_cli: user errors exit with code 2, a tool's own exit code passes through, a run that ended
normally tears torch.distributed down; load_run_config: the config as the tools run it."""
import errno
import os
import os.path as osp
import signal

import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config
from torch.utils.data import DataLoader

from vidreg.config import resolved_config_text
from vidreg.datasets import DatasetError
from vidreg.engine.entrypoint import load_run_config, run_cli
from vidreg.engine.hooks.class_map_hook import ClassMapError
from vidreg.plugins import REPO_ROOT
from vidreg.utils import CheckpointError, NoSpaceError


def test_a_finished_run_destroys_the_process_group(tmp_path):
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store', rank=0, world_size=1)

    def main(argv):
        total = torch.ones(3)
        dist.all_reduce(total)

    run_cli(main)
    assert not dist.is_initialized()


def test_a_user_error_exits_with_code_2_and_its_message(capsys):
    def main(argv):
        raise DatasetError('row 3 of ann.csv: no such file')

    with pytest.raises(SystemExit) as exit_info:
        run_cli(main)
    assert exit_info.value.code == 2
    assert 'row 3 of ann.csv: no such file' in capsys.readouterr().err


@pytest.mark.parametrize('error', [
    ClassMapError('The checkpoint was trained on 6 classes but the test set has 4.'),
    NoSpaceError(errno.ENOSPC, "no space left on device while writing 'w/epoch_2.pth'"),
    CheckpointError("'w/epoch_1.pth' was refused: it holds the object 'exec'")])
def test_checkpoint_and_class_map_errors_are_one_line_messages(capsys, error):
    def main(argv):
        raise error

    with pytest.raises(SystemExit) as exit_info:
        run_cli(main)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith('error: ') and 'Traceback' not in err


class _KilledWorker:
    def __len__(self):
        return 2

    def __getitem__(self, index):
        os.kill(os.getpid(), signal.SIGKILL)  # as the system's out-of-memory killer does


def test_a_killed_dataloader_worker_is_one_error_line(capsys):
    def main(argv):
        list(DataLoader(_KilledWorker(), num_workers=1))

    with pytest.raises(SystemExit) as exit_info:
        run_cli(main)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith('error: DataLoader worker (pid') and 'Traceback' not in err
    assert len(err.strip().splitlines()) == 1 and 'num_workers' in err


@pytest.mark.parametrize('interrupt, line', [
    (KeyboardInterrupt(), 'interrupted (Ctrl-C)'),
    (KeyboardInterrupt('interrupted (Ctrl-C); continue the run with: python x --resume'),
     'interrupted (Ctrl-C); continue the run with: python x --resume')])
def test_ctrl_c_is_one_line_and_exit_code_130(capsys, interrupt, line):
    def main(argv):
        raise interrupt

    with pytest.raises(SystemExit) as exit_info:
        run_cli(main)
    assert exit_info.value.code == 130
    assert capsys.readouterr().err == line + '\n'


@pytest.mark.parametrize('returned, code', [(None, None), (0, None), (1, 1), (130, 130)])
def test_the_exit_code_is_what_main_returns(returned, code):
    if code is None:
        run_cli(lambda argv: returned)
        return
    with pytest.raises(SystemExit) as exit_info:
        run_cli(lambda argv: returned)
    assert exit_info.value.code == code


def test_the_config_as_the_tools_run_it_has_its_knobs_applied_and_a_work_dir(tmp_path):
    config = osp.join(REPO_ROOT, 'configs', 'demo', 'restcn_synthetic.py')
    text = resolved_config_text(load_run_config(config, cfg_options={
        'num_frames': 4, 'model.head.dropout': 0.5}))
    assert text.startswith(f'# Resolved config of {config}\n')
    printed = tmp_path / 'printed.py'
    printed.write_text(text)
    cfg = Config.fromfile(str(printed))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[loader].dataset.pipeline[1].num_frames == 4  # the knob reached every pipeline
    assert cfg.model.head.dropout == 0.5
    assert cfg.work_dir == osp.join('work_dirs', 'restcn_synthetic')
    plain = Config.fromfile(config)  # what mmengine alone shows: the fragment's default
    assert plain.train_dataloader.dataset.pipeline[1].num_frames == 8
    assert load_run_config(config, work_dir=str(tmp_path)).work_dir == str(tmp_path)
