"""docs/plugins.md, followed literally: its code blocks become a plugin that trains and tests."""
import os
import os.path as osp
import re
import shlex
import shutil
import subprocess
import sys
import uuid

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
GUIDE = osp.join(REPO, 'docs', 'plugins.md')
MAX_CODE_LINES = 60  # the budget for "write a plugin to add a model"


def _guide_blocks():
    """``[(info string, code)]`` of every fenced block of the guide."""
    with open(GUIDE, encoding='utf-8') as f:
        return re.findall(r'^```([^\n]*)\n(.*?)^```', f.read(), flags=re.M | re.S)


def _files():
    """``{path: code}`` of the blocks marked ``python title=<path>``."""
    return {info.split('title=', 1)[1].strip(): code for info, code in _guide_blocks()
            if info.startswith('python') and 'title=' in info}


def _commands():
    """The ``python tools/...`` commands of the guide's bash blocks, continuation lines joined."""
    commands = []
    for info, code in _guide_blocks():
        if info.strip() == 'bash':
            joined = code.replace('\\\n', ' ')
            commands += [line.strip() for line in joined.splitlines()
                         if line.strip().startswith('python tools/')]
    return commands


def test_guide_code_is_short_and_complete():
    files = _files()
    assert sorted(files) == ['plugins/my_plugin/__init__.py',
                             'plugins/my_plugin/configs/frame_diff_synthetic.py',
                             'plugins/my_plugin/frame_diff_net.py',
                             'plugins/my_plugin/tiny.py']
    lines = sum(len([x for x in code.splitlines() if x.strip()]) for code in files.values())
    assert lines <= MAX_CODE_LINES, f'the guide has {lines} lines of code'
    assert [c.split()[1] for c in _commands()] == ['tools/list_components.py', 'tools/train.py',
                                                   'tools/test.py']


@pytest.mark.slow
def test_guide_plugin_trains_and_tests_through_tools(tmp_path):
    name = f'guide_{uuid.uuid4().hex[:8]}'  # a fresh plugin, removed afterwards
    quick = (f' --cfg-options data_root={shlex.quote(str(tmp_path / "syn"))} num_frames=4 '
             'img_size=32 max_epochs=1 num_workers=0 videos_per_class="(2,1,1)"')
    try:
        for path, code in _files().items():
            target = osp.join(REPO, path.replace('my_plugin', name))
            os.makedirs(osp.dirname(target), exist_ok=True)
            with open(target, 'w', encoding='utf-8') as f:
                f.write(code.replace('my_plugin', name))
        outputs = []
        for command in _commands():
            command = command.replace('my_plugin', name).replace(
                f'work_dirs/{name}', shlex.quote(str(tmp_path / 'work')))
            command = shlex.quote(sys.executable) + command[len('python'):]
            if 'list_components' not in command:
                command += quick
            result = subprocess.run(['bash', '-c', command], cwd=REPO, capture_output=True,
                                    text=True, timeout=300)
            assert result.returncode == 0, (command, result.stdout[-3000:],
                                            result.stderr[-3000:])
            outputs.append(result.stdout + result.stderr)
    finally:
        shutil.rmtree(osp.join(REPO, 'plugins', name), ignore_errors=True)
    listing, _, test_output = outputs
    assert re.search(rf'FrameDiffNet\s*│\s*plugins\.{name}\.frame_diff_net', listing)
    assert (tmp_path / 'work' / 'epoch_1.pth').is_file()
    assert 'acc/top1' in test_output
