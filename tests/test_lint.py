"""The code passes ruff with the project's settings (pyproject.toml), as STYLE.md asks."""
import os.path as osp
import shutil
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def test_ruff_is_clean():
    ruff = shutil.which('ruff')
    command = [ruff] if ruff else [sys.executable, '-m', 'ruff']
    try:
        result = subprocess.run([*command, 'check', '.'], cwd=REPO, capture_output=True,
                                text=True, timeout=120)
    except FileNotFoundError:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
