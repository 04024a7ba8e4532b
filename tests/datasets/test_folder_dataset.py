"""FolderDataset: folder-per-class videos and frame folders, split once and reused."""
import os

import pytest

from vidreg.datasets import DatasetError, FolderDataset


@pytest.fixture
def root(tmp_path, video):
    """Two classes of DAiSEE-style clips (subject = first 6 digits, subjects span classes),
    plus one frame folder."""
    for label, cls in enumerate(['engaged', 'bored']):
        (tmp_path / cls).mkdir()
        for subject in range(10):
            for clip in range(2 + label):
                os.link(video, tmp_path / cls / f'{110000 + subject}{clip + 10 * label:04d}.avi')
    frames = tmp_path / 'bored' / '1100090099'
    frames.mkdir()
    for i in range(1, 4):
        (frames / f'img_{i:05d}.jpg').write_bytes(b'')
    (tmp_path / 'bored' / 'notes.txt').write_text('not a video')
    return tmp_path


def subject(path: str) -> str:
    return os.path.basename(path)[:6]


def build(root, split, **kwargs):
    return FolderDataset(data_root=str(root), split=split, **kwargs)


def test_split_is_group_aware_stratified_and_complete(root):
    parts = {s: build(root, s) for s in ('train', 'val', 'test')}
    files = {s: {d.get_data_info(i)['filename'] for i in range(len(d))} for s, d in parts.items()}
    assert sum(len(f) for f in files.values()) == 10 * 2 + 10 * 3 + 1
    assert not any(f.endswith('notes.txt') for fs in files.values() for f in fs)
    subjects = {s: {subject(f) for f in fs} for s, fs in files.items()}
    assert not subjects['train'] & subjects['val'] and not subjects['train'] & subjects['test']
    assert not subjects['val'] & subjects['test']
    assert sum(len(v) for v in subjects.values()) == 10 and min(map(len, subjects.values())) >= 1
    for s, ratio in zip(('train', 'val', 'test'), (0.7, 0.15, 0.15)):  # within one subject
        assert abs(len(files[s]) - ratio * 51) <= 6
    assert parts['train'].metainfo['classes'] == ('bored', 'engaged')
    for d in parts.values():  # both classes in every split
        assert {d.get_data_info(i)['label'] for i in range(len(d))} == {0, 1}


def test_split_file_is_written_reused_and_deterministic(root):
    val = build(root, 'val', seed=3)
    text = (root / 'split.csv').read_text()
    assert text.startswith('path,label,split\n') and 'engaged/1100000000.avi,1,' in text
    assert (root / 'split.csv.json').is_file()
    # Later runs read the file rather than re-splitting: an edit to it is honoured.
    (root / 'split.csv').write_text(text.replace(',val\n', ',test\n'))
    assert len(build(root, 'test', seed=3)) == len(val) + text.count(',test\n')
    with pytest.raises(DatasetError, match="split 'val' of .*split.csv' has no clip"):
        build(root, 'val', seed=3)
    # Deterministic: deleting the file and splitting again gives the same file.
    os.remove(root / 'split.csv')
    build(root, 'val', seed=3)
    assert (root / 'split.csv').read_text() == text


def test_changed_ratio_or_classes_is_a_clear_error(root):
    build(root, 'train')
    with pytest.raises(DatasetError, match=r'split_ratios .*Delete .*split.csv'):
        build(root, 'train', split_ratios=(0.8, 0.1, 0.1))
    (root / 'new_class').mkdir()
    os.link(root / 'bored' / '1100000010.avi', root / 'new_class' / 'x.avi')
    with pytest.raises(DatasetError, match=r'classes .*choose another split file'):
        build(root, 'train')
    with pytest.warns(UserWarning, match='too few groups'):  # new_class has one clip
        assert len(build(root, 'train', split_file='split_v2.csv')) > 0


def test_added_and_removed_clips(root):
    build(root, 'test')
    os.link(root / 'bored' / '1100000010.avi', root / 'bored' / '1100990000.avi')
    with pytest.raises(DatasetError, match=r'1 videos are not in the stored split'):
        build(root, 'test')
    os.remove(root / 'bored' / '1100990000.avi')
    victim = next(k for k in (root / 'split.csv').read_text().splitlines() if k.endswith(',test'))
    os.remove(root / victim.split(',')[0])
    with pytest.raises(DatasetError, match=victim.split(',')[0].split('/')[1] + "' does not exist"):
        build(root, 'test')


def test_bad_layouts(tmp_path):
    with pytest.raises(DatasetError, match='does not exist'):
        build(tmp_path / 'missing', 'train')
    with pytest.raises(DatasetError, match='no class folders'):
        build(tmp_path, 'train')
    (tmp_path / 'empty_class').mkdir()
    with pytest.raises(DatasetError, match=r"no video .* \['empty_class'\]"):
        build(tmp_path, 'train')
