"""tools/check_data.py on a CSV dataset with a corrupt, a short and a missing video."""
import check_data
import pytest

from vidreg.testing.tiny_video import write_tiny_video

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
    (tmp_path / 'train.csv').write_text(
        'path,label\ngood.avi,0\ncorrupt.avi,1\nshort.avi,0\nmissing.avi,1\ngood.avi,7\n')
    (tmp_path / 'val.csv').write_text('path,label\ngood.avi,1\n')
    path = tmp_path / 'config.py'
    path.write_text(CONFIG.format(root=str(tmp_path)))
    return path


def test_every_bad_sample_in_one_table_and_exit_code_1(config, capsys):
    with pytest.raises(SystemExit) as info:
        check_data.main([str(config)])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert '4 bad samples' in out
    lines = {name: next((line for line in out.splitlines() if name in line), '')
             for name in ('corrupt.avi', 'short.avi', 'missing.avi', 'line 6')}
    assert 'cannot decode' in lines['corrupt.avi']
    assert 'too short: 3 frames' in lines['short.avi'] and '8 per clip' in lines['short.avi']
    assert 'does not exist' in lines['missing.avi']
    assert 'outside [0, 2)' in lines['line 6']
    assert all(line.lstrip('│ ').startswith('train') for line in lines.values())


def test_clean_split_exits_0(config, capsys):
    check_data.main([str(config), '--split', 'val'])
    assert 'All 1 samples of val are usable' in capsys.readouterr().out
