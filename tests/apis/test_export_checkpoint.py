"""tools/export.py: --out is never the checkpoint, replaces a file only with --force, is a file."""
import os
import subprocess
import sys

import export
import pytest

from vidreg.fileio import OutputPathError
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def checkpoint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_tiny_checkpoint('tiny.pth')


def test_the_checkpoint_is_never_the_output(checkpoint):
    before = open(checkpoint, 'rb').read()
    with pytest.raises(OutputPathError, match=r"--out './tiny.pth' is an input of this run"):
        export.main([checkpoint, '--out', './tiny.pth', '--force'])
    assert open(checkpoint, 'rb').read() == before


def test_an_existing_onnx_needs_force_and_a_folder_is_refused(checkpoint):
    with open('tiny.onnx', 'wb') as f:  # the default --out
        f.write(b'an earlier export')
    with pytest.raises(OutputPathError, match=r"'tiny.onnx' exists \(--out\): pass --force"):
        export.main([checkpoint])
    os.mkdir('models')
    with pytest.raises(OutputPathError, match=r"--out 'models' is a folder: name the file to "
                                              r"write, e.g. 'models/tiny.onnx'"):
        export.main([checkpoint, '--out', 'models'])
    assert open('tiny.onnx', 'rb').read() == b'an earlier export'


@pytest.mark.slow  # a subprocess that imports torch: a few seconds
def test_the_tool_prints_one_error_line_and_exits_2(checkpoint, tmp_path):
    result = subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'export.py'),
                             checkpoint, '--out', checkpoint], capture_output=True, text=True,
                            cwd=tmp_path, timeout=300)
    assert result.returncode == 2 and 'Traceback' not in result.stderr, result.stderr
    assert result.stderr.startswith('error: --out') and result.stderr.count('\n') == 1
