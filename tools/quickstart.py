"""Install what a job needs, then run it: the README's two quick-start commands.

python tools/quickstart.py demo [train.py options]   # install vidreg, train the synthetic demo
python tools/quickstart.py test [pytest options]     # install vidreg with its test extras, run
                                                     # the whole test suite (what .ci/run does)

Needs only Python 3.10-3.12 (standard library) and access to PyPI. Run inside an active virtual
environment (venv, virtualenv) or conda environment, it installs into that environment. Run with
a system Python, it creates (or reuses) the project's own virtual environment ``.venv/`` in the
checkout and runs itself again with that: a stock Debian/Ubuntu Python refuses ``pip install``
outside one (PEP 668, "externally-managed-environment"). torch and torchvision go first, pinned,
with pip (on this project's machines pip takes them from local disk), then this checkout is
installed in editable mode with the extras the job needs: ``test``, plus ``deploy`` when
setup.cfg defines it. A stamp under ``.cache/quickstart/`` records what was installed (a hash of
setup.cfg, pyproject.toml, the pins and the Python): a second call installs nothing unless one of
those changed or a package went missing.
"""
import configparser
import hashlib
import importlib.util
import os
import os.path as osp
import shutil
import subprocess
import sys
from typing import List, Optional, Sequence

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PROJECT_VENV = '.venv'
TORCH_PINS = ['torch==2.14.1', 'torchvision==0.29.1']
DEMO_CONFIG = 'configs/demo/restcn_synthetic.py'
DEMO_WORK_DIR = osp.join('work_dirs', 'restcn_synthetic')  # tools/train.py's default for it
JOBS = {
    # job: (extras wanted (kept if setup.cfg defines them), modules that must import, command)
    'demo': ([], ['torch', 'vidreg'], ['tools/train.py', DEMO_CONFIG]),
    'test': (['test', 'deploy'], ['torch', 'vidreg', 'pytest'], ['-m', 'pytest']),
}


class QuickstartError(Exception):
    """A set-up step that cannot go on; the message says what to do."""


def in_own_environment(prefix: str = sys.prefix, base_prefix: str = sys.base_prefix) -> bool:
    """Whether this Python runs in an environment of its own: a venv/virtualenv or a conda env.

    Installing into such an environment is what its owner asked for. Anything else is a
    system (or pyenv) Python, which may refuse pip (PEP 668) and should not be changed.
    """
    return osp.realpath(prefix) != osp.realpath(base_prefix) or osp.isdir(
        osp.join(prefix, 'conda-meta'))


def venv_python(venv: str) -> str:
    """The interpreter of the virtual environment at ``venv``."""
    if os.name == 'nt':
        return osp.join(venv, 'Scripts', 'python.exe')
    return osp.join(venv, 'bin', 'python')


def ensure_project_venv(venv: str) -> str:
    """Create the virtual environment ``venv`` unless it works already; return its Python.

    A creation that fails (Debian/Ubuntu without the ``python3-venv`` package) removes what it
    left, so the next call starts clean.

    Raises:
        QuickstartError: It cannot be created, or an existing one does not run.
    """
    python = venv_python(venv)
    if osp.exists(venv):
        if osp.isfile(python) and subprocess.run(
                [python, '-c', 'import sys'], capture_output=True).returncode == 0:
            return python
        raise QuickstartError(
            f'{venv} exists but is not a working virtual environment ({python} does not run). '
            f'Remove it (rm -r {venv}) and run this command again.')
    print(f'quickstart: creating the virtual environment {venv}', flush=True)
    result = subprocess.run([sys.executable, '-m', 'venv', venv], capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        version = f'{sys.version_info.major}.{sys.version_info.minor}'
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise QuickstartError(
            f'could not create a virtual environment with {sys.executable} '
            f'({reason[-1] if reason else "python -m venv failed"}). On Debian/Ubuntu install '
            f'the venv module first (sudo apt install python{version}-venv), or activate a '
            f'virtual or conda environment of your own, then run this command again.')
    return python


def defined_extras() -> List[str]:
    """The extras of setup.cfg's ``[options.extras_require]``."""
    parser = configparser.ConfigParser()
    parser.read(osp.join(REPO, 'setup.cfg'), encoding='utf-8')
    return list(parser['options.extras_require']) if parser.has_section(
        'options.extras_require') else []


def install_fingerprint(extras: Sequence[str]) -> str:
    digest = hashlib.sha256(' '.join([sys.executable, *TORCH_PINS, *extras]).encode())
    for name in ('setup.cfg', 'pyproject.toml'):
        with open(osp.join(REPO, name), 'rb') as file:
            digest.update(file.read())
    return digest.hexdigest()


def run(command: Sequence[str]) -> None:
    print('+', ' '.join(command), flush=True)
    subprocess.run(command, cwd=REPO, check=True)


def ensure_installed(job: str) -> None:
    """Install the job's dependencies into this Python, unless the stamp says they are there."""
    wanted, modules, _ = JOBS[job]
    extras = [extra for extra in wanted if extra in defined_extras()]
    stamp = osp.join(REPO, '.cache', 'quickstart', f'{job}.stamp')
    fingerprint = install_fingerprint(extras)
    if osp.isfile(stamp) and all(importlib.util.find_spec(m) for m in modules):
        with open(stamp, encoding='utf-8') as file:
            if file.read().strip() == fingerprint:
                print(f'quickstart: the {job} dependencies are installed ({stamp}).', flush=True)
                return
    if importlib.util.find_spec('pip') is None:
        run([sys.executable, '-m', 'ensurepip', '--upgrade'])
    pip = [sys.executable, '-m', 'pip', 'install', '--disable-pip-version-check']
    run([*pip, *TORCH_PINS])
    run([*pip, '-e', f'.[{",".join(extras)}]' if extras else '.'])
    os.makedirs(osp.dirname(stamp), exist_ok=True)
    with open(stamp, 'w', encoding='utf-8') as file:
        file.write(fingerprint + '\n')


def demo_options(options: Sequence[str]) -> List[str]:
    """``tools/train.py`` options of the demo: a second call continues the first run.

    tools/train.py refuses to train over a run in its work dir. Called again after the demo
    ran (or was stopped), the quick start resumes it (a finished run prints its summary again)
    unless the options say what to do (``--resume``, ``--overwrite``, ``--work-dir``).
    """
    options = list(options)
    chosen = any(option.split('=')[0] in ('--resume', '--overwrite', '--work-dir')
                 for option in options)
    if not chosen and osp.isfile(osp.join(REPO, DEMO_WORK_DIR, 'last_checkpoint')):
        print(f'quickstart: {DEMO_WORK_DIR} holds the demo run of an earlier call: continuing it '
              f'(--resume). To train it again from scratch: python tools/quickstart.py demo '
              f'--overwrite', flush=True)
        options.append('--resume')
    return options


def activate_hint(venv: str) -> str:
    """How to use the project environment for the next commands."""
    if os.name == 'nt':
        return f'{osp.relpath(venv, REPO)}\\Scripts\\activate'
    return f'source {osp.relpath(venv, REPO)}/bin/activate'


def main(argv: Sequence[str], venv: Optional[str] = None) -> int:
    if not argv or argv[0] not in JOBS:
        print(__doc__, file=sys.stderr)
        return 2
    job, options = argv[0], list(argv[1:])
    try:
        if not in_own_environment():
            venv = venv or osp.join(REPO, PROJECT_VENV)
            python = ensure_project_venv(venv)
            print(f'quickstart: {sys.executable} is not a virtual or conda environment; '
                  f'installing into {venv}', flush=True)
            code = subprocess.run([python, osp.abspath(__file__), *argv], cwd=REPO).returncode
            print(f'quickstart: to run the other commands with this environment: '
                  f'{activate_hint(venv)}', flush=True)
            return code
        ensure_installed(job)
    except QuickstartError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f'error: {" ".join(error.cmd)} failed (exit code {error.returncode}); '
              f'see its output above', file=sys.stderr)
        return 2
    if job == 'demo':
        options = demo_options(options)
    return subprocess.run([sys.executable, *JOBS[job][2], *options], cwd=REPO).returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
