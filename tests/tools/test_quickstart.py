"""The README's quick start: two commands; the installing step runs once, in an environment.

tools/quickstart.py runs before vidreg is installed, so it imports nothing of vidreg and is
tested as it runs: a copy of it in a folder laid out as a checkout (its setup.cfg and
pyproject.toml), run as its own process. pip, pytest, ``venv`` and tools/train.py are what it
launches; stand-ins on PYTHONPATH (and in the copy) record how they are called instead of
installing packages for minutes. Only ``in_own_environment``, which needs the prefixes of
environments this machine does not have, is loaded from the file.
"""
import importlib.util
import json
import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import pytest

from vidreg.plugins import REPO_ROOT

RECORDER = """import json, os, sys
with open(os.environ['QUICKSTART_LOG'], 'a') as log:
    log.write(json.dumps([{name!r}, *sys.argv[1:]]) + '\\n')
sys.exit({code})
"""


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    section = readme.split('## Quick start', 1)[1].split('\n## ', 1)[0]
    blocks = re.findall(r'```bash\n(.*?)```', section, flags=re.S)
    assert len(blocks) == 1
    commands = [line.split('#')[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ['python tools/quickstart.py demo', 'python tools/quickstart.py test']
    with open(osp.join(REPO_ROOT, '.ci', 'run'), encoding='utf-8') as f:
        ci = f.read()
    # CI is a new user's machine: a fresh venv without system packages, removed afterwards
    assert 'python tools/quickstart.py test' in ci
    assert re.search(r'python3 -m venv "\$venv"\n', ci) and 'system-site-packages' not in ci
    assert 'mktemp -d' in ci and "trap 'rm -rf \"$venv\"' EXIT" in ci


def in_an_environment() -> bool:
    return sys.prefix != sys.base_prefix or osp.isdir(osp.join(sys.prefix, 'conda-meta'))


@pytest.fixture
def checkout(tmp_path):
    """A copy of tools/quickstart.py in a checkout of its own, with recording stand-ins."""
    root = tmp_path / 'checkout'
    (root / 'tools').mkdir(parents=True)
    shutil.copy(osp.join(REPO_ROOT, 'tools', 'quickstart.py'), root / 'tools')
    for name in ('setup.cfg', 'pyproject.toml'):
        shutil.copy(osp.join(REPO_ROOT, name), root / name)
    (root / 'tools' / 'train.py').write_text(RECORDER.format(name='train.py', code=0))
    fakes = tmp_path / 'fakes'
    for name in ('pip', 'pytest'):
        (fakes / name).mkdir(parents=True)
        (fakes / name / '__init__.py').write_text('')
        (fakes / name / '__main__.py').write_text(RECORDER.format(name=name, code=0))
    return root


def quickstart(checkout, *args, python=sys.executable, fakes=None):
    """Run the copy; return the finished process and the commands it launched, in order."""
    log = checkout.parent / 'launched.jsonl'
    log.unlink(missing_ok=True)
    paths = [str(fakes or checkout.parent / 'fakes'), REPO_ROOT]  # REPO_ROOT: vidreg is found
    env = {**os.environ, 'QUICKSTART_LOG': str(log), 'PYTHONPATH': os.pathsep.join(paths)}
    result = subprocess.run([python, str(checkout / 'tools' / 'quickstart.py'), *args],
                            capture_output=True, text=True, env=env, timeout=600)
    launched = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, launched


def test_without_a_job_it_prints_the_usage_and_exits_2(checkout):
    result, launched = quickstart(checkout)
    assert result.returncode == 2 and 'python tools/quickstart.py demo' in result.stderr
    assert launched == []


@pytest.mark.skipif(not in_an_environment(), reason='the tests run outside an environment')
def test_install_runs_once_torch_first_with_the_extras_setup_cfg_defines(checkout):
    result, launched = quickstart(checkout, 'test', '-q')
    assert result.returncode == 0, result.stderr
    assert launched[0][-2:] == ['torch==2.14.1', 'torchvision==0.29.1']
    assert launched[1][-2:] == ['-e', '.[test,deploy]']  # deploy: setup.cfg defines it
    assert launched[2] == ['pytest', '-q']  # then the job
    result, launched = quickstart(checkout, 'test')  # a second call installs nothing
    assert launched == [['pytest']] and 'dependencies are installed' in result.stdout
    with open(checkout / 'setup.cfg', 'a', encoding='utf-8') as f:
        f.write('\n')  # changed dependencies: install again
    assert len(quickstart(checkout, 'test')[1]) == 3


@pytest.mark.skipif(not in_an_environment(), reason='the tests run outside an environment')
def test_without_a_deploy_extra_the_tests_install_only_test(checkout):
    with open(checkout / 'setup.cfg', encoding='utf-8') as f:
        setup = re.sub(r'\ndeploy =\n(    .*\n)+', '\n', f.read())
    (checkout / 'setup.cfg').write_text(setup)
    result, launched = quickstart(checkout, 'test')
    assert launched[1][-2:] == ['-e', '.[test]']


@pytest.mark.skipif(not in_an_environment(), reason='the tests run outside an environment')
def test_a_second_demo_continues_the_first_run(checkout):
    """tools/train.py refuses to train over a run: the README's first command resumes it."""
    result, launched = quickstart(checkout, 'demo', '--cfg-options', 'max_epochs=1')
    assert launched[-1] == ['train.py', 'configs/demo/restcn_synthetic.py', '--cfg-options',
                            'max_epochs=1']  # no run yet
    work_dir = checkout / 'work_dirs' / 'restcn_synthetic'
    work_dir.mkdir(parents=True)
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'epoch_3.pth'))
    result, launched = quickstart(checkout, 'demo')
    assert launched == [['train.py', 'configs/demo/restcn_synthetic.py', '--resume']]
    assert '--overwrite' in result.stdout  # says how to start again
    for chosen in (['--overwrite'], ['--resume'], ['--work-dir', 'elsewhere'],
                   ['--work-dir=elsewhere']):
        assert quickstart(checkout, 'demo', *chosen)[1][-1][2:] == chosen


def base_python() -> str:
    """The interpreter this environment was made from: a Python outside any environment."""
    python = getattr(sys, '_base_executable', None)
    base = subprocess.run([python, '-c', 'import sys; print(sys.prefix == sys.base_prefix)'],
                          capture_output=True, text=True) if python else None
    if base is None or base.stdout.strip() != 'True' or osp.isdir(
            osp.join(sys.base_prefix, 'conda-meta')):
        pytest.skip('no Python outside an environment here')
    return python


def test_a_broken_project_venv_says_to_remove_it(checkout):
    (checkout / '.venv').mkdir()
    result, launched = quickstart(checkout, 'demo', python=base_python())
    assert result.returncode == 2 and re.search(r'rm -r .*\.venv', result.stderr)
    assert launched == []


def test_a_failed_venv_creation_says_what_to_install_and_leaves_nothing(checkout, tmp_path):
    fakes = tmp_path / 'no_venv'  # a Python whose venv module fails, as Debian's without
    (fakes / 'venv').mkdir(parents=True)  # python3-venv
    (fakes / 'venv' / '__init__.py').write_text('')
    (fakes / 'venv' / '__main__.py').write_text(
        'import sys\nsys.exit("The virtual environment was not created successfully because '
        'ensurepip is not available.")\n')
    result, launched = quickstart(checkout, 'demo', python=base_python(), fakes=fakes)
    assert result.returncode == 2 and re.search(r'apt install python3\.\d+-venv', result.stderr)
    assert 'ensurepip is not available' in result.stderr
    assert not (checkout / '.venv').exists() and launched == []


@pytest.mark.slow  # makes a real virtual environment (pip included: seconds)
def test_outside_an_environment_the_job_runs_again_in_the_project_venv(checkout):
    """A system Python (PEP 668) never runs pip: the job runs with the project venv's Python,
    which is made once and reused."""
    result, launched = quickstart(checkout, 'test', '-x', python=base_python())
    assert result.returncode == 0, result.stderr
    assert 'creating the virtual environment' in result.stdout
    assert 'source .venv/bin/activate' in result.stdout
    python = str(checkout / '.venv' / 'bin' / 'python')
    assert osp.isfile(python) and osp.isfile(checkout / '.venv' / 'bin' / 'pip')
    assert [command[0] for command in launched] == ['pip', 'pip', 'pytest']
    assert launched[-1] == ['pytest', '-x']
    result, launched = quickstart(checkout, 'test', python=base_python())
    assert result.returncode == 0 and 'creating' not in result.stdout  # reused


def _load_quickstart():
    """tools/quickstart.py as a module, for the one function whose inputs no process here has."""
    spec = importlib.util.spec_from_file_location(
        'quickstart', osp.join(REPO_ROOT, 'tools', 'quickstart.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    assert _load_quickstart().in_own_environment(prefix, base) is expected
