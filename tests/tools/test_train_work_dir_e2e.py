"""tools/train.py and its work dir, on the tiny config: one run at a time, a run is not trained
over without --resume or --overwrite, and Ctrl-C says how to continue (real processes)."""
import json
import os
import os.path as osp
import re
import shlex
import signal
import subprocess
import sys
import time

import pytest

from vidreg.testing.tiny_checkpoint import tiny_config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ENV = {**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHON': sys.executable}  # PYTHON: dist_train.sh
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def config(tmp_path_factory):
    """The tiny config (4 classes, 32 px, TinyConv2D) as a file, its data generated once."""
    root = tmp_path_factory.mktemp('tiny')
    cfg = tiny_config(data_root=str(root / 'data'))
    cfg.dump(str(root / 'tiny.py'))
    return str(root / 'tiny.py')


def train(config, work_dir, *args):
    return subprocess.run([sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
                           *args], cwd=REPO, capture_output=True, text=True, env=ENV,
                          timeout=300)


def _ctrl_c_reaches_python():
    """In the child: SIGINT back to its default, so Python turns it into KeyboardInterrupt even
    when the tests run in the background of a shell (which starts them with SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(path, process, timeout=300):
    deadline = time.monotonic() + timeout
    while not osp.exists(path):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)


def test_a_second_run_is_refused_and_ctrl_c_says_how_to_continue(config, tmp_path):
    work_dir = str(tmp_path / 'work')
    first = subprocess.Popen(
        [sys.executable, 'tools/train.py', config, '--work-dir', work_dir, '--cfg-options',
         'train_cfg.max_epochs=100000'], cwd=REPO, env=ENV, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_reaches_python)
    try:
        wait_for(osp.join(work_dir, 'last_checkpoint'), first)  # it runs and has saved
        second = train(config, work_dir, '--resume')
        assert second.returncode == 2, second.stderr
        assert f'is in use by another training run: pid {first.pid} on host ' in second.stderr
        assert 'train_cfg.max_epochs=100000' in second.stderr  # its command
        first.send_signal(signal.SIGINT)  # what Ctrl-C sends
        _, err = first.communicate(timeout=120)
    finally:
        first.kill()
    assert first.returncode == 130, err
    (line,) = err.strip().splitlines()  # one line, no traceback
    prefix = 'interrupted (Ctrl-C); continue the run with: '
    assert line.startswith(prefix) and line.endswith(' --resume'), line
    assert not osp.exists(osp.join(work_dir, 'train.lock'))
    with open(osp.join(work_dir, 'summary.json')) as f:  # the epochs it finished
        summary = json.load(f)
    assert summary['stopped'] == 'interrupted (Ctrl-C)'
    # The printed command continues the run (one more epoch than it saved).
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        saved = int(re.search(r'epoch_(\d+)\.pth', f.read()).group(1))
    assert [h['epoch'] for h in summary['history']][:saved] == list(range(1, saved + 1))
    command = shlex.split(line[len(prefix):])
    assert command[0] == 'python'
    resumed = subprocess.run([sys.executable, *command[1:], '--cfg-options',
                              f'train_cfg.max_epochs={saved + 1}'], cwd=REPO, env=ENV,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert osp.isfile(osp.join(work_dir, f'epoch_{saved + 1}.pth'))


def test_a_run_is_not_trained_over_without_resume_and_overwrite_replaces_it(config, tmp_path):
    work_dir = str(tmp_path / 'work')
    assert train(config, work_dir, '--cfg-options', 'train_cfg.max_epochs=1').returncode == 0
    before = {name: os.stat(osp.join(work_dir, name)).st_mtime_ns
              for name in os.listdir(work_dir)}
    again = train(config, work_dir)
    assert again.returncode == 2 and again.stderr.startswith('error: ')
    for needed in ('already holds a training run', '--resume', 'another --work-dir',
                   '--overwrite'):
        assert needed in again.stderr
    assert {name: os.stat(osp.join(work_dir, name)).st_mtime_ns
            for name in os.listdir(work_dir)} == before  # nothing touched

    (tmp_path / 'work' / 'notes.txt').write_text('mine')
    replaced = train(config, work_dir, '--overwrite', '--cfg-options', 'train_cfg.max_epochs=2')
    assert replaced.returncode == 0, replaced.stderr
    assert '--overwrite: removed the previous run from' in replaced.stdout
    files = sorted(os.listdir(work_dir))
    assert [f for f in files if f.endswith('.pth')] == ['best_acc_top1_epoch_1.pth',
                                                        'epoch_1.pth', 'epoch_2.pth']
    assert len([f for f in files if re.fullmatch(r'\d{8}_\d{6}', f)]) == 1  # one run's logs
    assert 'notes.txt' in files
    with open(osp.join(work_dir, 'summary.json')) as f:
        assert [row['epoch'] for row in json.load(f)['history']] == [1, 2]


def test_two_processes_refuse_a_work_dir_holding_a_run_together(config, tmp_path):
    work_dir = str(tmp_path / 'work')
    assert train(config, work_dir, '--cfg-options', 'train_cfg.max_epochs=1').returncode == 0
    result = subprocess.run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir],
                            cwd=REPO, capture_output=True, text=True, timeout=300,
                            env={**ENV, 'PORT': '29541'})
    assert result.returncode != 0
    assert result.stderr.count('already holds a training run') == 1, result.stderr[-3000:]
    assert 'error: process 1 stops: process 0 could not claim the work dir.' in result.stderr
    assert not osp.exists(osp.join(work_dir, 'train.lock'))

