"""The shared group-aware stratified split and its on-disk storage."""
import numpy as np
import pytest

from vidreg.datasets import DatasetError
from vidreg.datasets import group_split as gs


def toy(num_classes=3, groups_per_class=20, seed=0):
    """Clips of groups of 1-5 clips; group names are unique per class."""
    rng = np.random.default_rng(seed)
    labels, groups = [], []
    for k in range(num_classes):
        for g in range(groups_per_class):
            n = int(rng.integers(1, 6))
            labels += [k] * n
            groups += [f'c{k}g{g}'] * n
    return np.array(labels), np.array(groups)


def test_groups_never_straddle_and_classes_follow_ratios():
    labels, groups = toy()
    split = gs.stratified_group_split(labels, groups, (0.7, 0.15, 0.15), seed=0)
    for g in np.unique(groups):
        assert len(set(split[groups == g])) == 1
    for k in range(3):
        counts = np.bincount(split[labels == k], minlength=3)
        share = counts / counts.sum()
        assert np.abs(share - [0.7, 0.15, 0.15]).max() < 0.08, (k, counts)


def test_deterministic_and_independent_of_input_order():
    labels, groups = toy()
    a = gs.stratified_group_split(labels, groups, (0.8, 0.2), seed=5)
    perm = np.random.default_rng(1).permutation(len(labels))
    b = gs.stratified_group_split(labels[perm], groups[perm], (0.8, 0.2), seed=5)
    assert (a[perm] == b).all()
    c = gs.stratified_group_split(labels, groups, (0.8, 0.2), seed=6)
    assert (a != c).any()  # another seed, another split


def test_group_spanning_classes_stays_whole_and_zero_ratio_gets_nothing():
    labels = np.array([0, 1, 0, 1, 0, 1, 0, 1] * 3)
    groups = np.repeat([f's{i}' for i in range(6)], 4)  # each subject has both classes
    split = gs.stratified_group_split(labels, groups, (0.5, 0.0, 0.5), seed=0)
    assert set(split.tolist()) == {0, 2}
    for g in np.unique(groups):
        assert len(set(split[groups == g])) == 1
    with pytest.raises(ValueError, match='ratios'):
        gs.stratified_group_split(labels, groups, (0, 0), seed=0)


def test_group_patterns():
    hmdb = gs.compile_group_pattern(r'^(.+)_{class}_', 'brush_hair')
    assert gs.group_key('April_09_brush_hair_u_nm_np1_ba_goo_0', hmdb) == 'April_09'
    assert gs.group_key('Brushing_brush_hair_x_brush_hair_h_nm_np1_le_goo_2', hmdb) == \
        'Brushing_brush_hair_x'
    default = gs.compile_group_pattern(r'_(g\d+)_c\d+$|^(\d{6})\d{4}$')
    assert gs.group_key('v_ApplyEyeMakeup_g08_c01', default) == 'g08'
    assert gs.group_key('1100011002', default) == '110001'
    assert gs.group_key('holiday', default) is None
    with pytest.warns(UserWarning, match='1 of 2 file names'):
        keys = gs.assign_groups(['a_x_1', 'b'], r'^(.+)_{class}_', ['x', 'x'], warn_unmatched='T')
    assert keys == ['a', 'b']
    with pytest.raises(DatasetError, match='not a valid regular expression'):
        gs.compile_group_pattern('(')


def test_read_split_lines_tolerates_crlf_bom_and_trailing_spaces(tmp_path):
    path = tmp_path / 'list.txt'
    path.write_bytes('\ufeffa.avi 1 \r\n\r\nb.avi 2\r\n'.encode())
    assert gs.read_split_lines(str(path)) == [(1, ['a.avi', '1']), (3, ['b.avi', '2'])]


def test_split_file_falls_back_to_cache_when_data_folder_is_read_only(tmp_path, monkeypatch):
    monkeypatch.setenv('VIDREG_CACHE_DIR', str(tmp_path / 'cache'))
    primary = str(tmp_path / 'data' / 'split.csv')
    real = gs._write_json_atomic

    def refuse(path, obj):
        if path.startswith(str(tmp_path / 'data')):
            raise PermissionError(13, 'Read-only file system')
        real(path, obj)
    monkeypatch.setattr(gs, '_write_json_atomic', refuse)
    kwargs = dict(paths=['a', 'b', 'c', 'd'], labels=[0, 0, 1, 1], groups=['a', 'b', 'c', 'd'],
                  split_names=('train', 'val'), ratios=(0.5, 0.5), seed=0,
                  settings=dict(seed=0), owner='T')
    first = gs.load_or_create_split(primary, **kwargs)
    cached = gs.cache_path(primary)
    assert cached.startswith(str(tmp_path / 'cache'))
    assert not (tmp_path / 'data' / 'split.csv').exists()
    assert sorted(first.values()) == ['train', 'train', 'val', 'val']
    with open(cached, 'a') as f:  # prove the second call reads the cached file
        f.write('e,0,val\n')
    assert gs.load_or_create_split(primary, **kwargs)['e'] == 'val'
    with pytest.raises(DatasetError, match=r'seed \(stored: 0, now: 1\)'):
        gs.load_or_create_split(primary, **{**kwargs, 'settings': dict(seed=1)})
