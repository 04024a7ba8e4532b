"""Install what a job needs into this Python, then run it: the README's two quick-start commands.

python tools/quickstart.py demo [train.py options]   # install vidreg, train the synthetic demo
python tools/quickstart.py test [pytest options]     # install vidreg with its test extras, run
                                                     # the whole test suite (what .ci/run does)

Needs only Python (standard library) and network or local access to PyPI. torch and torchvision
go first, pinned, with pip (on this project's machines pip takes them from local disk), then
this checkout is installed in editable mode with the extras the job needs: ``test``, plus
``deploy`` when setup.cfg defines it. A stamp under ``.cache/quickstart/`` records what was
installed (a hash of setup.cfg, pyproject.toml and the pins): a second call installs nothing
unless one of those changed or a package went missing.
"""
import configparser
import hashlib
import importlib.util
import os
import os.path as osp
import subprocess
import sys
from typing import List, Sequence

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TORCH_PINS = ['torch==2.14.1', 'torchvision==0.29.1']
JOBS = {
    # job: (extras wanted (kept if setup.cfg defines them), modules that must import, command)
    'demo': ([], ['torch', 'vidreg'],
             [sys.executable, 'tools/train.py', 'configs/demo/restcn_synthetic.py']),
    'test': (['test', 'deploy'], ['torch', 'vidreg', 'pytest'], [sys.executable, '-m', 'pytest']),
}


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


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in JOBS:
        print(__doc__, file=sys.stderr)
        return 2
    job, options = argv[0], list(argv[1:])
    ensure_installed(job)
    return subprocess.run([*JOBS[job][2], *options], cwd=REPO).returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
