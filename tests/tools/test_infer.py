"""tools/infer.py as a command: bad options stop before any work with one `error:` line (exit
code 2), also where torch is missing."""
import os

import pytest

from vidreg.plugins import REPO_ROOT
from vidreg.testing.block_torch import torch_blocking_env
from vidreg.testing.run_tool import run_tool
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint


@pytest.mark.parametrize('options', [
    ['--window', '0'], ['--window', '-2'], ['--window', 'nan'], ['--window', '1', '--stride', '0'],
    ['--window', '1', '--stride', '-1'], ['--stride', '1'], ['--topk', '0'], ['--topk', '-1'],
    ['--window', '1', '--backend', 'onnxruntime'], ['--backend', 'onnxruntime', '--amp', 'bf16'],
    ['--window', '1', '--batch-size', '2']])
def test_options_that_make_no_sense_are_refused(options):
    result = run_tool('tools/infer.py', 'never_loaded.pth', 'v.mp4', *options, expect=2,
                      timeout=120)
    lines = [line for line in result.stderr.splitlines() if 'error:' in line]
    assert len(lines) == 1, result.stderr
    assert (options[-2] if options[-1] != 'onnxruntime' else '--window') in lines[0]


def test_a_checkpoint_for_onnxruntime_is_one_unwrapped_line_without_torch(tmp_path):
    checkpoint = write_tiny_checkpoint(tmp_path / 'tiny.pth')
    deep = tmp_path.joinpath(*['a_folder_name_of_forty_characters_long_xxxxx'] * 3)
    deep.mkdir(parents=True)
    model = deep / 'tiny.pth'
    model.write_bytes(open(checkpoint, 'rb').read())
    result = run_tool(os.path.join(REPO_ROOT, 'tools', 'infer.py'), model, 'v.mp4', '--backend',
                      'onnxruntime', '--out', tmp_path / 'p', cwd=str(tmp_path), timeout=120,
                      env={**torch_blocking_env(tmp_path), 'COLUMNS': '', 'TERM': 'dumb'},
                      expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ') and repr(str(model)) in lines[0]
    assert 'is a PyTorch checkpoint, not an ONNX model' in lines[0]
