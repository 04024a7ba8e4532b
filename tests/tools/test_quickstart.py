"""The README's quick start: two commands; the installing step runs once."""
import os.path as osp
import re
import shutil
import subprocess

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
        assert 'python tools/quickstart.py test' in f.read()


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
