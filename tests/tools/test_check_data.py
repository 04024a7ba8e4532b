"""tools/check_data.py: every bad sample in one table, found by decoding every frame, in parallel,
with the same verdict every run."""
import re

import check_data
import cv2
import numpy as np
import pytest

from vidreg.testing.tiny_video import write_tiny_video, write_truncated_video

CONFIG = """
pipeline = [dict(type='OpenVideo'), dict(type='UniformSampleFrames', num_frames=8),
            dict(type='DecodeFrames'), dict(type='Resize', scale=(16, 16)),
            dict(type='PackVideoInputs')]
dataset = dict(type='CSVDataset', data_root={root!r}, num_classes=2, pipeline=pipeline)
train_dataloader = dict(dataset=dict(**dataset, ann_file='train.csv'))
val_dataloader = dict(dataset=dict(**dataset, ann_file='val.csv', test_mode=True))
test_dataloader = val_dataloader
"""


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv('COLUMNS', '400')  # keep rich from folding paths in the table
    write_tiny_video(tmp_path / 'good.avi')
    write_tiny_video(tmp_path / 'short.avi', num_frames=3)
    (tmp_path / 'corrupt.avi').write_bytes(b'RIFF\x00\x00not really a video' * 20)
    write_truncated_video(tmp_path / 'cut.avi')  # broken tail: header 50 frames, 14 decode
    frames = tmp_path / 'frames'
    frames.mkdir()
    for i in range(12):
        cv2.imwrite(str(frames / f'img_{i + 1:05d}.jpg'), np.full((32, 32, 3), 20 * i, np.uint8))
    (frames / 'img_00006.jpg').write_bytes(b'\xff\xd8 a corrupt frame')  # one frame of twelve
    (tmp_path / 'train.csv').write_text(
        'path,label\ngood.avi,0\ncorrupt.avi,1\nshort.avi,0\nmissing.avi,1\ngood.avi,7\n'
        'cut.avi,1\nframes,0\n')
    (tmp_path / 'val.csv').write_text('path,label\ngood.avi,1\n')
    path = tmp_path / 'config.py'
    path.write_text(CONFIG.format(root=str(tmp_path)))
    return path


def run(argv, capsys):
    with pytest.raises(SystemExit) as info:
        check_data.main(argv)
    assert info.value.code == 1
    return capsys.readouterr().out


def test_every_bad_sample_in_one_table_and_the_same_verdict_every_run(config, capsys):
    out = run([str(config), '--split', 'train', '--workers', '2'], capsys)
    assert '6 problems' in out
    lines = {name: next((line for line in out.splitlines() if name in line), '')
             for name in ('corrupt.avi', 'short.avi', 'missing.avi', 'line 6', 'cut.avi',
                          'img_00006.jpg')}
    assert 'cannot decode' in lines['corrupt.avi']
    assert 'too short: 3 frames' in lines['short.avi'] and '8 per clip' in lines['short.avi']
    assert 'does not exist' in lines['missing.avi']
    assert 'outside [0, 2)' in lines['line 6']
    assert 'truncated: its header says 50 frames but only 14 decode' in lines['cut.avi']
    assert 'cannot decode' in lines['img_00006.jpg']
    assert all(line.lstrip('│ ').startswith('train') for line in lines.values())
    # Exhaustive and seeded: a second run (one process) gives the same table.
    assert run([str(config), '--split', 'train', '--workers', '0'], capsys) == out


def test_a_file_with_two_labels_is_a_conflict(config, capsys):
    (config.parent / 'val.csv').write_text('path,label\ngood.avi,1\ngood.avi,0\ngood.avi,1\n')
    out = run([str(config), '--split', 'val', '--workers', '0'], capsys)
    assert '1 problems' in out and 'listed 3 times with different labels [0, 1]' in out


def test_clean_split_exits_0(config, capsys):
    check_data.main([str(config), '--split', 'val', '--workers', '0'])
    assert 'All 1 samples of val are usable' in capsys.readouterr().out


def test_a_dataset_of_clip_samples_is_checked_once_per_file(config, capsys):
    """With clips=dict(...) a video has a row per clip; each file is decoded and reported once,
    and a video that cannot be opened is found when the dataset reads the headers."""
    text = re.sub(r"dict\(type='UniformSampleFrames', num_frames=8\),\s*", '',
                  config.read_text())
    text = text.replace('pipeline=pipeline)', 'pipeline=pipeline, clips=dict(num_frames=3))')
    config.write_text(text)
    out = run([str(config), '--split', 'train', '--workers', '0'], capsys)
    assert '5 problems' in out
    rows = [line for line in out.splitlines() if 'train' in line and '│' in line]
    assert sum('cut.avi' in line for line in rows) == 1  # 48 clip rows, one verdict
    assert any('corrupt.avi' in line and 'cannot be opened' in line for line in rows)
    assert any('cut.avi' in line and 'truncated' in line for line in rows)
    assert 'too short' not in out
