"""check_data (tools/check_data.py): every bad sample in one table, found by decoding every
frame, in parallel, with the same verdict every run."""
import os
import re

import cv2
import numpy as np
import pytest

from vidreg.apis import check_data
from vidreg.preparation import extract_flow, extract_frames
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


def run(config, split, workers, capsys):
    """The printed verdict of a check that finds problems."""
    assert check_data(str(config), splits=[split], workers=workers)
    return capsys.readouterr().out


def test_every_bad_sample_in_one_table_and_the_same_verdict_every_run(config, capsys):
    out = run(config, 'train', 2, capsys)
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
    assert run(config, 'train', 0, capsys) == out


def test_a_file_with_two_labels_is_a_conflict(config, capsys):
    (config.parent / 'val.csv').write_text('path,label\ngood.avi,1\ngood.avi,0\ngood.avi,1\n')
    out = run(config, 'val', 0, capsys)
    assert '1 problems' in out and 'listed 3 times with different labels [0, 1]' in out


def test_non_finite_labels_are_listed(config, capsys):
    (config.parent / 'val.csv').write_text('path,label\nshort.avi,inf\ncut.avi,1e400\ngood.avi,1\n')
    out = run(config, 'val', 0, capsys)
    assert '2 problems' in out
    assert re.search(r"val.csv line 2 +│ label 'inf' is not a finite number", out)
    assert re.search(r"val.csv line 3 +│ label '1e400' is not a finite number", out)


def test_a_clean_split_has_no_problem(config, capsys):
    assert check_data(str(config), splits=['val'], workers=0) == []
    assert 'All 1 samples of val are usable' in capsys.readouterr().out


def test_a_dataset_of_clip_samples_is_checked_once_per_file(config, capsys):
    """With EveryClipSampleFrames a video has a row per clip; each file is decoded and reported
    once, and a video that cannot be opened is found when the dataset reads the headers."""
    text = re.sub(r"dict\(type='UniformSampleFrames', num_frames=8\)",
                  "dict(type='EveryClipSampleFrames', num_frames=3)", config.read_text())
    config.write_text(text)
    out = run(config, 'train', 0, capsys)
    assert '5 problems' in out
    rows = [line for line in out.splitlines() if 'train' in line and '│' in line]
    assert sum('cut.avi' in line for line in rows) == 1  # 48 clip rows, one verdict
    assert any('corrupt.avi' in line and 'cannot be opened' in line for line in rows)
    assert any('cut.avi' in line and 'truncated' in line for line in rows)
    assert 'too short' not in out


def test_frame_folders_keep_what_their_extraction_found(tmp_path, capsys, monkeypatch):
    """Folders that extract_frames / extract_flow extracted from a truncated video
    (which hold only the frames that decode) or left unfinished are named, from their records."""
    monkeypatch.setenv('COLUMNS', '400')
    videos = tmp_path / 'videos'
    videos.mkdir()
    write_tiny_video(videos / 'good.avi', num_frames=12)
    write_truncated_video(videos / 'cut.avi')  # header 50 frames, 14 decode
    write_tiny_video(videos / 'lost.avi', num_frames=12)
    assert extract_frames(str(videos), str(tmp_path / 'frames')) == 1
    assert extract_flow(str(videos), str(tmp_path / 'frames'), preset='ultrafast') == 1
    os.remove(tmp_path / 'frames' / 'lost' / 'img_00012.jpg')  # a frame lost since
    (tmp_path / 'train.csv').write_text('path,label\ngood,0\ncut,1\nlost,0\n')
    (tmp_path / 'config.py').write_text(CONFIG.format(root=str(tmp_path / 'frames')).replace(
        "ann_file='train.csv'", f"ann_file={str(tmp_path / 'train.csv')!r}"))
    out = run(tmp_path / 'config.py', 'train', 0, capsys)
    assert '2 problems' in out
    cut = next(line for line in out.splitlines() if 'frames/cut' in line)
    assert (f'extracted from a truncated video: {videos / "cut.avi"} (its header says 50 frames '
            f'but only 14 decode); the folder holds the 14 frames') in cut
    lost = next(line for line in out.splitlines() if 'frames/lost' in line)
    assert '1 of the 12 frames its extraction wrote are missing' in lost
    flow = CONFIG.replace("dict(type='OpenVideo')",
                          "dict(type='OpenVideo', reader=dict(type='FlowFolderReader'))")
    (tmp_path / 'config.py').write_text(flow.format(root=str(tmp_path / 'frames')).replace(
        "ann_file='train.csv'", f"ann_file={str(tmp_path / 'train.csv')!r}"))
    out = run(tmp_path / 'config.py', 'train', 0, capsys)
    assert '1 problems' in out and 'the folder holds the 13 flow pairs' in out


TWO_READERS = """
pipeline = [dict(type='OpenVideo'),
            dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root={videos!r},
                 mirror_root={flow!r}, reader_key='flow_reader'),
            dict(type='SampleFrames', num_frames=2, frame_interval=1),
            dict(type='SampleFlowFields', num_fields=1),
            dict(type='DecodeFrames'),
            dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds',
                 out_key='flow'),
            dict(type='PackVideoInputs', keys=('imgs', 'flow'))]
val_dataloader = dict(dataset=dict(type='CSVDataset', data_root={videos!r}, num_classes=2,
                                   ann_file='val.csv', test_mode=True, pipeline=pipeline))
"""


def test_every_flow_image_beside_a_video_is_decoded(tmp_path, capsys, monkeypatch):
    """A second reader (flow images beside each video) is decoded whole, like the video: a
    corrupt flow image that the pipeline's clip never reads is still found and named."""
    monkeypatch.setenv('COLUMNS', '400')
    videos, flow = tmp_path / 'videos', tmp_path / 'flow'
    videos.mkdir()
    for name in ('good', 'bad'):
        write_tiny_video(videos / f'{name}.avi', num_frames=12)
    assert extract_flow(str(videos), str(flow), preset='ultrafast') == 0
    (videos / 'val.csv').write_text('path,label\ngood.avi,0\nbad.avi,1\n')
    (tmp_path / 'config.py').write_text(TWO_READERS.format(videos=str(videos), flow=str(flow)))
    first = sorted(name for name in os.listdir(flow / 'bad') if name.startswith('x_'))[0]
    (flow / 'bad' / first).write_bytes(b'\xff\xd8 a corrupt flow image')  # the clip is later
    out = run(tmp_path / 'config.py', 'val', 0, capsys)
    assert '1 problems' in out
    row = next(line for line in out.splitlines() if 'bad.avi' in line)
    assert 'cannot decode' in row and str(flow / 'bad') in row


def test_multi_label_rows_of_both_formats_are_checked(config, capsys):
    """';'-separated indices: out of range, listed twice, not an integer; 0/1 class columns:
    another value. Each named with its file and line."""
    root = config.parent
    (root / 'val.csv').write_text('path,label\ngood.avi,0;1\ngood.avi,0;5\ngood.avi,1;1\n'
                                  'good.avi,a\ngood.avi,\n')
    (root / 'ml.py').write_text(CONFIG.format(root=str(root)) + (
        "val_dataloader = dict(dataset=dict(**dataset, ann_file='val.csv', test_mode=True, "
        "task='multilabel'))\n"))
    problems = check_data(str(root / 'ml.py'), splits=['val'], workers=0)
    out = capsys.readouterr().out
    assert [where for _, where, _ in problems][:3] == ['val.csv line 3', 'val.csv line 4',
                                                       'val.csv line 5']
    assert re.search(r"val.csv line 3 +│ label '0;5': class 5 is outside \[0, 2\)", out)
    assert re.search(r"val.csv line 4 +│ label '1;1': class 1 is listed twice", out)
    assert re.search(r"val.csv line 5 +│ label 'a': 'a' is not a class index", out)
    (root / 'val.csv').write_text('path,cat,dog\ngood.avi,1,0\ngood.avi,1,2\n')
    (root / 'cols.py').write_text(CONFIG.format(root=str(root)) + (
        "val_dataloader = dict(dataset=dict(**dataset, ann_file='val.csv', test_mode=True, "
        "task='multilabel', label_columns=['cat', 'dog']))\n").replace('num_classes=2, ', ''))
    check_data(str(root / 'cols.py'), splits=['val'], workers=0)
    out = capsys.readouterr().out
    assert re.search(r"val.csv line 3 +│ column 'dog' holds '2'; each class column must hold 0 "
                     r"or 1", out)
