"""run_cli: user errors exit with code 2; a run that ended normally tears torch.distributed down."""
import errno
import os
import signal

import pytest
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader

from vidreg.datasets import DatasetError
from vidreg.engine.entrypoint import run_cli
from vidreg.engine.hooks.class_map_hook import ClassMapError
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
