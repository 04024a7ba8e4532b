"""tools/slurm_train.sh and slurm_test.sh: the srun command and environment they build, read by
an ``srun`` placed first on PATH that records them (no Slurm here)."""
import json
import os
import subprocess
import sys

import pytest

from vidreg.plugins import REPO_ROOT

RECORDING_SRUN = f"""#!{sys.executable}
import json, os, sys
with open(os.environ['SRUN_RECORD'], 'w') as f:
    json.dump(dict(argv=sys.argv[1:], env=dict(os.environ)), f)
"""
LAYOUT_VARIABLES = ('GPUS_PER_NODE', 'CPUS_PER_TASK', 'SRUN_ARGS', 'OMP_NUM_THREADS', 'PYTHON')


def run_script(tmp_path, script, *args, **env):
    """Run ``tools/<script>`` from another folder with the recording srun first on PATH.

    Returns:
        The finished process and what srun recorded (``None`` if it was not called).
    """
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / 'srun').write_text(RECORDING_SRUN)
    (bin_dir / 'srun').chmod(0o755)
    record = tmp_path / 'srun.json'
    environ = {k: v for k, v in os.environ.items() if k not in LAYOUT_VARIABLES}
    environ.update(PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}', SRUN_RECORD=str(record),
                   PYTHONPATH='/elsewhere', **env)
    result = subprocess.run(['bash', os.path.join(REPO_ROOT, 'tools', script), *args],
                            cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60)
    return result, (json.loads(record.read_text()) if record.exists() else None)


def test_train_runs_one_task_per_gpu_with_the_slurm_launcher(tmp_path):
    result, srun = run_script(tmp_path, 'slurm_train.sh', 'gpu', 'r2p1d', 'cfg.py', '16',
                              '--work-dir', 'w d', GPUS_PER_NODE='8', CPUS_PER_TASK='6',
                              SRUN_ARGS='--time=2:00:00 --exclusive', PYTHON='/opt/py')
    assert result.returncode == 0, result.stderr
    assert srun['argv'] == [
        '-p', 'gpu', '--job-name=r2p1d', '--gres=gpu:8', '--ntasks=16', '--ntasks-per-node=8',
        '--cpus-per-task=6', '--kill-on-bad-exit=1', '--time=2:00:00', '--exclusive',
        '/opt/py', '-u', os.path.join(REPO_ROOT, 'tools', 'train.py'), 'cfg.py',
        '--launcher', 'slurm', '--work-dir', 'w d']
    # srun hands this environment to every task: the checkout importable, one OpenMP thread.
    assert srun['env']['PYTHONPATH'] == f'{REPO_ROOT}:/elsewhere'
    assert srun['env']['OMP_NUM_THREADS'] == '1'


def test_test_defaults_fit_a_job_smaller_than_a_node(tmp_path):
    result, srun = run_script(tmp_path, 'slurm_test.sh', 'gpu', 'eval', 'cfg.py', 'e.pth', '2',
                              '--split', 'val')
    assert result.returncode == 0, result.stderr
    assert srun['argv'] == [
        '-p', 'gpu', '--job-name=eval', '--gres=gpu:2', '--ntasks=2', '--ntasks-per-node=2',
        '--cpus-per-task=5', '--kill-on-bad-exit=1',
        'python', '-u', os.path.join(REPO_ROOT, 'tools', 'test.py'), 'cfg.py', 'e.pth',
        '--launcher', 'slurm', '--split', 'val']


@pytest.mark.parametrize('gpus, per_node, message', [
    ('two', None, "GPUS must be a number of GPUs >= 1, got 'two'"),
    ('0', None, "GPUS must be a number of GPUs >= 1, got '0'"),
    ('12', '8', 'GPUS=12 is not a multiple of GPUS_PER_NODE=8'),
])
def test_a_bad_task_layout_is_one_error_line_before_srun(tmp_path, gpus, per_node, message):
    env = {} if per_node is None else dict(GPUS_PER_NODE=per_node)
    result, srun = run_script(tmp_path, 'slurm_train.sh', 'gpu', 'job', 'cfg.py', gpus, **env)
    assert result.returncode == 2 and srun is None
    assert result.stderr.startswith(f'error: {message}') and result.stderr.count('\n') == 1


def test_usage(tmp_path):
    result, srun = run_script(tmp_path, 'slurm_test.sh', 'gpu', 'job', 'cfg.py')
    assert result.returncode == 2 and srun is None and result.stderr.startswith('usage: ')
