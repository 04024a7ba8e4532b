"""infer_files (tools/infer.py): unsafe outputs stop before any work with one `error:` line;
videos with the same name get their own files."""
import csv
import os

import pytest

from vidreg.deployment import infer_files
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return write_tiny_checkpoint(tmp_path_factory.mktemp('ckpt') / 'tiny.pth')


def error_of(capsys):
    lines = [line for line in capsys.readouterr().err.splitlines() if 'error:' in line]
    assert len(lines) == 1, lines
    return lines[0]


def test_outputs_onto_inputs_are_refused_before_the_model_is_loaded(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.chdir(tmp_path)
    video = write_tiny_video('clip.avi', num_frames=12)
    with open('list.csv', 'w') as f:
        f.write('path,label\nclip.avi,grow\n')
    before = {name: open(name, 'rb').read() for name in ('clip.avi', 'list.csv')}
    os.symlink('clip.avi', 'link.avi')
    for inputs, options in ((['link.avi'], dict(out_video='./clip.avi')),
                            (['list.csv'], dict(out='list')),
                            (['list.csv'], dict(out='list', force=True))):
        assert infer_files('never_loaded.pth', inputs, **options) == 2
        assert 'is an input of this run' in error_of(capsys)
    assert infer_files('never_loaded.pth', [video], out_video='list.csv/v.mp4') == 2
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
    options = dict(window=1, out=str(out), out_video=str(tmp_path / 'v.gif'))
    assert infer_files(checkpoint, videos, **options) == 0
    written = sorted(os.listdir(out.parent)) + sorted(
        name for name in os.listdir(tmp_path) if name.endswith('.gif'))
    assert written == ['p.csv', 'p.json', 'p_a_clip_windows.png', 'p_b_clip_windows.png',
                       'v_a_clip.gif', 'v_b_clip.gif']
    with open(f'{out}.csv') as f:
        assert {row['path'] for row in csv.DictReader(f)} == set(videos)
    capsys.readouterr()
    assert infer_files(checkpoint, videos, **options) == 2
    assert "p.csv' exists (--out): pass --force" in error_of(capsys)
    assert infer_files(checkpoint, videos, force=True, **options) == 0
