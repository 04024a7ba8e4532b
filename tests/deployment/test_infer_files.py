"""tools/infer.py: bad options and unsafe outputs stop before any work, with one `error:` line."""
import csv
import os
import subprocess
import sys

import infer
import pytest

from vidreg.testing.block_torch import torch_blocking_env
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return write_tiny_checkpoint(tmp_path_factory.mktemp('ckpt') / 'tiny.pth')


def error_of(capsys):
    lines = [line for line in capsys.readouterr().err.splitlines() if 'error:' in line]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize('options', [
    ['--window', '0'], ['--window', '-2'], ['--window', 'nan'], ['--window', '1', '--stride', '0'],
    ['--window', '1', '--stride', '-1'], ['--stride', '1'], ['--topk', '0'], ['--topk', '-1'],
    ['--window', '1', '--backend', 'onnxruntime']])
def test_options_that_make_no_sense_are_refused(options, capsys):
    with pytest.raises(SystemExit) as stop:
        infer.main(['never_loaded.pth', 'v.mp4', *options])
    assert stop.value.code == 2
    assert (options[-2] if options[-1] != 'onnxruntime' else '--window') in error_of(capsys)


def test_outputs_onto_inputs_are_refused_before_the_model_is_loaded(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.chdir(tmp_path)
    video = write_tiny_video('clip.avi', num_frames=12)
    with open('list.csv', 'w') as f:
        f.write('path,label\nclip.avi,grow\n')
    before = {name: open(name, 'rb').read() for name in ('clip.avi', 'list.csv')}
    os.symlink('clip.avi', 'link.avi')
    for options in (['link.avi', '--out-video', './clip.avi'], ['list.csv', '--out', 'list'],
                    ['list.csv', '--out', 'list', '--force']):
        assert infer.main(['never_loaded.pth', *options]) == 2
        assert 'is an input of this run' in error_of(capsys)
    assert infer.main(['never_loaded.pth', video, '--out-video', 'list.csv/v.mp4']) == 2
    assert "list.csv' is a file, not a folder" in error_of(capsys)
    assert {name: open(name, 'rb').read() for name in before} == before
    assert sorted(os.listdir()) == ['clip.avi', 'link.avi', 'list.csv']  # nothing written


def test_same_named_videos_get_their_own_files_and_a_rerun_needs_force(checkpoint, tmp_path,
                                                                       capsys):
    for name in 'ab':
        (tmp_path / name).mkdir()
    videos = [write_tiny_video(tmp_path / name / 'clip.avi', num_frames=12, seed=i)
              for i, name in enumerate('ab')]
    out = tmp_path / 'new' / 'deeper' / 'p'  # missing folders are created
    args = [checkpoint, *videos, '--window', '1', '--out', str(out), '--out-video',
            str(tmp_path / 'v.gif')]
    assert infer.main(args) == 0
    written = sorted(os.listdir(out.parent)) + sorted(
        name for name in os.listdir(tmp_path) if name.endswith('.gif'))
    assert written == ['p.csv', 'p.json', 'p_a_clip_windows.png', 'p_b_clip_windows.png',
                       'v_a_clip.gif', 'v_b_clip.gif']
    with open(f'{out}.csv') as f:
        assert {row['path'] for row in csv.DictReader(f)} == set(videos)
    capsys.readouterr()
    assert infer.main(args) == 2
    assert "p.csv' exists (--out): pass --force" in error_of(capsys)
    assert infer.main([*args, '--force']) == 0


def test_a_checkpoint_for_onnxruntime_is_one_unwrapped_line_without_torch(checkpoint, tmp_path):
    deep = tmp_path.joinpath(*['a_folder_name_of_forty_characters_long_xxxxx'] * 3)
    deep.mkdir(parents=True)
    model = deep / 'tiny.pth'
    model.write_bytes(open(checkpoint, 'rb').read())
    no_torch = torch_blocking_env(tmp_path)
    result = subprocess.run(
        [sys.executable, os.path.join(REPO, 'tools', 'infer.py'), str(model), 'v.mp4',
         '--backend', 'onnxruntime', '--out', str(tmp_path / 'p')], capture_output=True,
        text=True, cwd=tmp_path, timeout=120, env={**os.environ, **no_torch, 'COLUMNS': '',
                                                   'TERM': 'dumb'})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ') and repr(str(model)) in lines[0]
    assert 'is a PyTorch checkpoint, not an ONNX model' in lines[0]
