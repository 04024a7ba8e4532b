"""The README's quick start: two commands; the installing step runs once, in an environment."""
import os.path as osp
import re
import shutil
import subprocess
import sys

import pytest
import quickstart

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    with open(osp.join(REPO, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    section = readme.split('## Quick start', 1)[1].split('\n## ', 1)[0]
    blocks = re.findall(r'```bash\n(.*?)```', section, flags=re.S)
    assert len(blocks) == 1
    commands = [line.split('#')[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ['python tools/quickstart.py demo', 'python tools/quickstart.py test']
    with open(osp.join(REPO, '.ci', 'run'), encoding='utf-8') as f:
        ci = f.read()
    # CI is a new user's machine: a fresh venv without system packages, removed afterwards
    assert 'python tools/quickstart.py test' in ci
    assert re.search(r'python3 -m venv "\$venv"\n', ci) and 'system-site-packages' not in ci
    assert 'mktemp -d' in ci and "trap 'rm -rf \"$venv\"' EXIT" in ci


def test_install_runs_once_torch_first_with_the_extras_setup_cfg_defines(tmp_path, monkeypatch):
    for name in ('setup.cfg', 'pyproject.toml'):
        shutil.copy(osp.join(REPO, name), tmp_path / name)
    monkeypatch.setattr(quickstart, 'REPO', str(tmp_path))
    commands = []
    monkeypatch.setattr(subprocess, 'run', lambda command, **kwargs: commands.append(command))
    quickstart.ensure_installed('test')
    installs = [c[c.index('install') + 1:] for c in commands if 'install' in c]
    assert installs[0][-2:] == ['torch==2.14.1', 'torchvision==0.29.1']
    assert installs[1][-2:] == ['-e', '.[test,deploy]']  # deploy: setup.cfg defines it
    commands.clear()
    quickstart.ensure_installed('test')  # a second call installs nothing
    assert commands == []
    with open(tmp_path / 'setup.cfg', 'a', encoding='utf-8') as f:
        f.write('\n')  # changed dependencies: install again
    quickstart.ensure_installed('test')
    assert len(commands) == 2


def test_without_a_deploy_extra_the_tests_install_only_test(tmp_path, monkeypatch):
    with open(osp.join(REPO, 'setup.cfg'), encoding='utf-8') as f:
        setup = re.sub(r'\ndeploy =\n(    .*\n)+', '\n', f.read())
    (tmp_path / 'setup.cfg').write_text(setup)
    shutil.copy(osp.join(REPO, 'pyproject.toml'), tmp_path / 'pyproject.toml')
    monkeypatch.setattr(quickstart, 'REPO', str(tmp_path))
    commands = []
    monkeypatch.setattr(subprocess, 'run', lambda command, **kwargs: commands.append(command))
    quickstart.ensure_installed('test')
    assert commands[-1][-2:] == ['-e', '.[test]']


@pytest.mark.parametrize('prefix, base, conda, expected', [
    ('/home/u/proj/.venv', '/usr', False, True),      # venv / virtualenv
    ('/usr', '/usr', False, False),                   # Debian's python3 (PEP 668)
    ('/opt/conda/envs/x', '/opt/conda/envs/x', True, True),  # a conda env, base included
])
def test_own_environment_is_a_venv_or_a_conda_env(tmp_path, prefix, base, conda, expected):
    prefix, base = str(tmp_path) + prefix, str(tmp_path) + base
    if conda:
        (tmp_path / prefix.lstrip('/')).mkdir(parents=True, exist_ok=True)
        prefix = str(tmp_path / prefix.lstrip('/'))
        base = prefix
        (tmp_path / prefix / 'conda-meta').mkdir()
    assert quickstart.in_own_environment(prefix, base) is expected


@pytest.fixture(scope='module')
def project_venv(tmp_path_factory):
    """A real virtual environment made by the quick start (pip included: seconds)."""
    venv = str(tmp_path_factory.mktemp('project') / '.venv')
    return venv, quickstart.ensure_project_venv(venv)


@pytest.mark.slow
def test_project_venv_is_created_then_reused(project_venv, capsys):
    venv, python = project_venv
    assert python == quickstart.venv_python(venv)
    prefix = subprocess.run([python, '-c', 'import sys; print(sys.prefix != sys.base_prefix)'],
                            capture_output=True, text=True, check=True).stdout
    assert prefix.strip() == 'True'
    assert osp.isfile(osp.join(osp.dirname(python), 'pip'))
    assert quickstart.ensure_project_venv(venv) == python  # reused, not made again
    assert 'creating' not in capsys.readouterr().out


def test_broken_project_venv_says_to_remove_it(tmp_path):
    (tmp_path / '.venv').mkdir()
    with pytest.raises(quickstart.QuickstartError, match=r'rm -r .*\.venv'):
        quickstart.ensure_project_venv(str(tmp_path / '.venv'))


def test_failed_venv_creation_says_what_to_install_and_leaves_nothing(tmp_path, monkeypatch):
    # /bin/false stands for a Python whose venv module is missing (Debian without python3-venv)
    monkeypatch.setattr(sys, 'executable', shutil.which('false'))
    with pytest.raises(quickstart.QuickstartError, match=r'apt install python3\.\d+-venv'):
        quickstart.ensure_project_venv(str(tmp_path / '.venv'))
    assert not (tmp_path / '.venv').exists()


@pytest.mark.slow
def test_outside_an_environment_the_job_runs_again_in_the_project_venv(project_venv,
                                                                       monkeypatch, capsys):
    """A system Python (PEP 668) never runs pip: the job runs with the project venv's Python."""
    monkeypatch.setattr(quickstart, 'in_own_environment', lambda: False)
    venv = project_venv[0]
    commands = []

    def fake_run(command, **kwargs):  # stands for the job itself (installs torch: minutes)
        commands.append(command)
        return subprocess.CompletedProcess(command, 0)

    real_run = subprocess.run  # the check that the venv works runs for real
    monkeypatch.setattr(subprocess, 'run', lambda command, **kwargs: (
        real_run(command, **kwargs) if command[1:2] == ['-c'] else fake_run(command, **kwargs)))
    assert quickstart.main(['demo', '--cfg-options', 'max_epochs=1'], venv=venv) == 0
    assert commands == [[quickstart.venv_python(venv), osp.abspath(quickstart.__file__), 'demo',
                         '--cfg-options', 'max_epochs=1']]
    assert 'source ' in capsys.readouterr().out


def test_a_second_demo_continues_the_first_run(tmp_path, monkeypatch, capsys):
    """tools/train.py refuses to train over a run: the README's first command resumes it."""
    monkeypatch.setattr(quickstart, 'REPO', str(tmp_path))
    assert quickstart.demo_options(['--cfg-options', 'max_epochs=1']) == [
        '--cfg-options', 'max_epochs=1']  # no run yet
    work_dir = tmp_path / quickstart.DEMO_WORK_DIR
    work_dir.mkdir(parents=True)
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'epoch_3.pth'))
    assert quickstart.demo_options([]) == ['--resume']
    assert '--overwrite' in capsys.readouterr().out  # says how to start again
    for chosen in (['--overwrite'], ['--resume'], ['--work-dir', 'elsewhere'],
                   ['--work-dir=elsewhere']):
        assert quickstart.demo_options(chosen) == chosen
