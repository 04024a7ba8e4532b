"""export_checkpoint (tools/export.py): --out is never the checkpoint, replaces a file only with
force, is a file; a test pipeline that reads precomputed inputs needs a real video."""
import os

import pytest

from vidreg.apis import export_checkpoint
from vidreg.fileio import OutputPathError
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint


@pytest.fixture
def checkpoint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_tiny_checkpoint('tiny.pth')


def test_the_checkpoint_is_never_the_output(checkpoint):
    before = open(checkpoint, 'rb').read()
    with pytest.raises(OutputPathError, match=r"--out './tiny.pth' is an input of this run"):
        export_checkpoint(checkpoint, './tiny.pth', force=True)
    assert open(checkpoint, 'rb').read() == before


def test_an_existing_onnx_needs_force_and_a_folder_is_refused(checkpoint):
    with open('tiny.onnx', 'wb') as f:  # the default out
        f.write(b'an earlier export')
    with pytest.raises(OutputPathError, match=r"'tiny.onnx' exists \(--out\): pass --force"):
        export_checkpoint(checkpoint)
    os.mkdir('models')
    with pytest.raises(OutputPathError, match=r"--out 'models' is a folder: name the file to "
                                              r"write, e.g. 'models/tiny.onnx'"):
        export_checkpoint(checkpoint, 'models')
    assert open('tiny.onnx', 'rb').read() == b'an earlier export'
