"""INPUT arguments: files, frame folders, folders of videos (recursive), CSVs; bad ones named."""
import os

from vidreg.deployment import collect_inputs


def test_folders_csv_and_bad_inputs(tmp_path):
    (tmp_path / 'videos' / 'a' / 'deep').mkdir(parents=True)
    (tmp_path / 'videos' / 'a' / 'deep' / 'x.mp4').write_bytes(b'')
    (tmp_path / 'videos' / 'b.avi').write_bytes(b'')
    (tmp_path / 'videos' / 'notes.txt').write_text('')
    frames = tmp_path / 'videos' / 'frames_clip'
    frames.mkdir()
    (frames / 'img_00001.jpg').write_bytes(b'')
    (tmp_path / 'empty').mkdir()
    (tmp_path / 'list.csv').write_text('path,label\nvideos/b.avi,3\n\nvideos/gone.avi,1\n')
    inputs = collect_inputs([str(tmp_path / 'videos'), str(tmp_path / 'list.csv'),
                             str(tmp_path / 'empty'), str(tmp_path / 'nope.mp4'), str(frames)])
    rel = [(os.path.relpath(p, tmp_path), label) for p, label in inputs.items]
    assert rel == [('videos/b.avi', None), ('videos/a/deep/x.mp4', None),
                   ('videos/frames_clip', None), ('videos/b.avi', '3'),
                   ('videos/frames_clip', None)]
    bad = {os.path.relpath(name.split(' row ')[0], tmp_path): reason for name, reason in inputs.bad}
    assert set(bad) == {'list.csv', 'empty', 'nope.mp4'}
    assert 'gone.avi' in bad['list.csv'] and 'no video file' in bad['empty']
    assert any(name.endswith('list.csv row 4') for name, _ in inputs.bad)
