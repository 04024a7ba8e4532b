"""build_annotations (tools/build_annotations.py): CSVs that CSVDataset reads back to the same
rows."""
import os

import pytest

from vidreg.datasets import CSVDataset, FolderDataset
from vidreg.engine.entrypoint import run_cli
from vidreg.preparation import build_annotations
from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture
def video(tmp_path):
    path = tmp_path / 'tiny.avi'
    write_tiny_video(path)
    return path


@pytest.mark.slow  # nine dataset builds (mmengine serialises each)
def test_folder_dataset_round_trip(tmp_path, video, capsys, monkeypatch):
    monkeypatch.setenv('COLUMNS', '300')
    root = tmp_path / 'data'
    for cls in ('run', 'walk'):
        (root / cls).mkdir(parents=True)
        for group in range(1, 9):
            os.link(video, root / cls / f'v_{cls}_g{group:02d}_c01.avi')
    written = build_annotations('folder', str(root), out_dir=str(tmp_path / 'ann'),
                                split_ratios=(0.5, 0.25, 0.25))
    assert written == [str(tmp_path / 'ann' / name) for name in ('train.csv', 'val.csv',
                                                                 'test.csv', 'classes.txt')]
    out = capsys.readouterr().out
    assert 'train.csv' in out and 'classes.txt' in out
    assert (tmp_path / 'ann' / 'classes.txt').read_text() == 'run\nwalk\n'
    total = 0
    for split in ('train', 'val', 'test'):
        csv = CSVDataset(ann_file=str(tmp_path / 'ann' / f'{split}.csv'), data_root=str(root),
                         classes=str(tmp_path / 'ann' / 'classes.txt'))
        folder = FolderDataset(data_root=str(root), split=split, split_ratios=(0.5, 0.25, 0.25))
        rows = [(csv.get_data_info(i)['filename'], csv.get_data_info(i)['label'])
                for i in range(len(csv))]
        assert rows == [(folder.get_data_info(i)['filename'], folder.get_data_info(i)['label'])
                        for i in range(len(folder))]
        assert csv.metainfo['classes'] == ('run', 'walk')
        total += len(csv)
    assert total == 16
    first = (tmp_path / 'ann' / 'train.csv').read_text().splitlines()
    assert first[0] == 'path,label' and first[1].startswith(('run/v_run_g', 'walk/v_walk_g'))


def test_ucf101_without_val_and_errors_exit_cleanly(tmp_path, video, capsys):
    root = tmp_path / 'ucf'
    (root / 'ucfTrainTestlist').mkdir(parents=True)
    (root / 'ucfTrainTestlist' / 'classInd.txt').write_bytes(b'1 Run\r\n2 Walk\r\n')
    train, test = [], []
    for i, cls in enumerate(('Run', 'Walk'), 1):
        (root / 'UCF-101' / cls).mkdir(parents=True)
        for group in (1, 2, 3):
            name = f'v_{cls}_g{group:02d}_c01.avi'
            os.link(video, root / 'UCF-101' / cls / name)
            (test if group == 1 else train).append(f'{cls}/{name}' + (f' {i}' if group > 1 else ''))
    (root / 'ucfTrainTestlist' / 'trainlist01.txt').write_text('\r\n'.join(train) + '\r\n')
    (root / 'ucfTrainTestlist' / 'testlist01.txt').write_text('\r\n'.join(test) + '\r\n')
    build_annotations('ucf101', str(root), val_fraction=0)
    assert sorted(p.name for p in root.glob('*.csv')) == ['test.csv', 'train.csv']
    assert (root / 'test.csv').read_text() == (
        'path,label\nUCF-101/Run/v_Run_g01_c01.avi,0\nUCF-101/Walk/v_Walk_g01_c01.avi,1\n')
    os.remove(root / 'ucfTrainTestlist' / 'testlist01.txt')
    with pytest.raises(SystemExit) as info:  # through run_cli, as from the shell
        run_cli(lambda _: build_annotations('ucf101', str(root), val_fraction=0))
    assert info.value.code == 2 and 'testlist01.txt' in capsys.readouterr().err
