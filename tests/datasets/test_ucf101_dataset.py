"""UCF101Dataset on a tiny replica of the official layout (CRLF lists, real .avi files)."""
import os
import re

import numpy as np
import pytest

from vidreg.datasets import DatasetError, UCF101Dataset

CLASSES = ['ApplyEyeMakeup', 'Basketball', 'HandstandPushups']


@pytest.fixture
def ucf(tmp_path, video):
    """3 classes x 10 groups x 2 clips; groups 1-3 are the test groups of split 1."""
    lists = tmp_path / 'ucfTrainTestlist'
    lists.mkdir()
    (lists / 'classInd.txt').write_bytes(''.join(
        f'{i} {c}\r\n' for i, c in enumerate(CLASSES, 1)).encode())
    train, test = [], []
    for i, cls in enumerate(CLASSES, 1):
        (tmp_path / 'UCF-101' / cls).mkdir(parents=True)
        for group in range(1, 11):
            for clip in (1, 2):
                name = f'v_{cls}_g{group:02d}_c{clip:02d}.avi'
                os.link(video, tmp_path / 'UCF-101' / cls / name)
                if group <= 3:
                    test.append(f'{cls}/{name}\r\n')
                else:
                    train.append(f'{cls}/{name} {i}\r\n')
    (lists / 'trainlist01.txt').write_bytes(''.join(train).encode())
    (lists / 'testlist01.txt').write_bytes(''.join(test).encode())
    return tmp_path


def group_of(path: str) -> str:
    return re.search(r'_(g\d+)_c', path).group(1)


def files(ds):
    return {ds.get_data_info(i)['filename'] for i in range(len(ds))}


def test_test_split_labels_from_class_index(ucf):
    ds = UCF101Dataset(data_root=str(ucf), split='test')
    assert len(ds) == 3 * 3 * 2
    assert ds.metainfo['classes'] == tuple(CLASSES)
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        assert CLASSES[info['label']] in info['filename']


def test_val_is_carved_by_whole_groups(ucf):
    train = UCF101Dataset(data_root=str(ucf), split='train', val_fraction=0.3)
    val = UCF101Dataset(data_root=str(ucf), split='val', val_fraction=0.3)
    train_groups = {group_of(f) for f in files(train)}
    val_groups = {group_of(f) for f in files(val)}
    assert not train_groups & val_groups and len(val_groups) == 2  # 30 % of 7 groups
    assert len(train) + len(val) == 3 * 7 * 2
    assert np.bincount([val.get_data_info(i)['label'] for i in range(len(val))]).tolist() == [
        4, 4, 4]
    # The test groups never appear in train or val.
    assert not (train_groups | val_groups) & {'g01', 'g02', 'g03'}
    assert (ucf / 'ucfTrainTestlist' / 'vidreg_trainval_split1_val0.3_seed0.csv').is_file()
    other_seed = UCF101Dataset(data_root=str(ucf), split='val', val_fraction=0.3, seed=1)
    assert len(other_seed) == len(val)


def test_label_disagreeing_with_class_index_is_reported(ucf):
    path = ucf / 'ucfTrainTestlist' / 'trainlist01.txt'
    path.write_bytes(path.read_bytes().replace(b'c01.avi 2', b'c01.avi 3', 1))
    with pytest.raises(DatasetError, match=r'trainlist01.txt line 15: index 3 disagrees'):
        UCF101Dataset(data_root=str(ucf), split='train')


def test_missing_lists_and_videos_named(ucf):
    with pytest.raises(DatasetError) as info:
        UCF101Dataset(data_root=str(ucf), split='test', splits_dir='lists')
    assert str(ucf / 'lists') in str(info.value) and 'classInd.txt' in str(info.value)
    (ucf / 'UCF-101' / 'Basketball' / 'v_Basketball_g02_c01.avi').unlink()
    with pytest.raises(DatasetError, match=r'testlist01.txt line 9: .*v_Basketball_g02_c01.avi'):
        UCF101Dataset(data_root=str(ucf), split='test')
    with pytest.raises(DatasetError, match='val_fraction'):
        UCF101Dataset(data_root=str(ucf), split='val', val_fraction=0)
