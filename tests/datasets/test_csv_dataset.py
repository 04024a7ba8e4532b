import pytest
import torch

from vidreg.datasets import CSVDataset, DatasetError, check_data_roots
from vidreg.datasets.multi_label import multi_hot_of_indices
from vidreg.structures import to_label_tensor
from vidreg.utils import register_all_modules


@pytest.fixture
def root(tmp_path):
    for name in ('a.avi', 'b.avi', 'c.avi'):
        (tmp_path / name).write_bytes(b'x')
    (tmp_path / 'frames').mkdir()
    return tmp_path


def write(root, text, name='ann.csv'):
    (root / name).write_bytes(text.encode())
    return name


def test_reads_rows_with_crlf_and_spaces(root):
    ann = write(root, 'path , label\r\na.avi,0\r\nframes,2\r\n')
    ds = CSVDataset(ann_file=ann, data_root=str(root), num_classes=3)
    assert len(ds) == 2
    info = ds.get_data_info(1)
    assert info['filename'] == str(root / 'frames') and info['label'] == 2
    assert info['task'] == 'classification' and info['test_mode'] is False
    assert ds.metainfo['classes'] == ('0', '1', '2')


def test_regression_and_multi_output(root):
    ann = write(root, 'path,label,extra\na.avi,0.25,1.5\nb.avi,-1,2\n')
    ds = CSVDataset(ann_file=ann, data_root=str(root), task='regression')
    assert ds.get_data_info(0)['label'] == 0.25
    multi = CSVDataset(ann_file=ann, data_root=str(root), task='regression',
                       label_columns=['label', 'extra'])
    assert multi.get_data_info(1)['label'] == [-1, 2]


def test_missing_columns_named(root):
    ann = write(root, 'file,class\na.avi,0\n')
    with pytest.raises(DatasetError, match=r"missing column\(s\) \['path', 'label'\]"):
        CSVDataset(ann_file=ann, data_root=str(root))


def test_every_bad_row_is_reported(root):
    ann = write(root, 'path,label\na.avi,0\nmissing.avi,1\nb.avi,abc\nc.avi,9\n,1\nb.avi,1.5\n')
    with pytest.raises(DatasetError) as info:
        CSVDataset(ann_file=ann, data_root=str(root), num_classes=3)
    message = str(info.value)
    assert '5 of 6 samples' in message
    assert 'ann.csv line 3' in message and 'missing.avi' in message and 'does not exist' in message
    assert "line 4: label 'abc' is not a number" in message
    assert 'line 5: label 9 is outside [0, 3)' in message
    assert 'line 6: path is empty' in message
    assert 'line 7' in message and 'not an integer class' in message
    assert 'warn_skip' in message


@pytest.mark.parametrize('task', ['regression', 'classification'])
def test_non_finite_labels_are_bad_rows_named_as_written(root, task):
    ann = write(root, 'path,label,second\na.avi,inf,1\nb.avi,1e400,2\nc.avi,1,-Infinity\n'
                      'a.avi,nan,3\nb.avi,2,1e308\n')
    with pytest.raises(DatasetError) as info:
        CSVDataset(ann_file=ann, data_root=str(root), task=task, num_classes=3,
                   label_columns=['label', 'second'] if task == 'regression' else 'label')
    message = str(info.value)
    assert "line 2: label 'inf' is not a finite number" in message
    assert "line 3: label '1e400' is not a finite number" in message  # parses to inf
    assert 'line 5: label is empty or NaN' in message
    if task == 'regression':
        assert '4 of 5 samples' in message and 'line 6' not in message  # 1e308 is finite
        assert "line 4: label '-Infinity' is not a finite number" in message


def test_warn_skip_drops_bad_rows_loudly(root):
    ann = write(root, 'path,label\na.avi,0\nmissing.avi,1\n')
    with pytest.warns(UserWarning, match='missing.avi'):
        ds = CSVDataset(ann_file=ann, data_root=str(root), on_bad_sample='warn_skip')
    assert len(ds) == 1


def test_missing_annotation_file_and_root(root):
    with pytest.raises(DatasetError, match='nope.csv.*path,label'):
        CSVDataset(ann_file='nope.csv', data_root=str(root))
    with pytest.raises(DatasetError, match='does not exist.*data_root'):
        CSVDataset(ann_file='ann.csv', data_root=str(root / 'absent'))


@pytest.mark.parametrize('text', ['', '\n\n'])
def test_an_empty_csv_is_one_error_naming_the_file(root, text):
    ann = write(root, text)
    with pytest.raises(DatasetError) as info:
        CSVDataset(ann_file=ann, data_root=str(root), num_classes=3)
    assert str(info.value) == (f'{root / ann} is empty: expected a header line "path,label" '
                               f'and one row per video.')


def test_absolute_paths_need_no_data_root(root, tmp_path_factory):
    missing_root = str(tmp_path_factory.mktemp('elsewhere') / 'data' / 'my_videos')
    ann = root / write(root, f'path,label\n{root / "a.avi"},0\n{root / "frames"},1\n')
    ds = CSVDataset(ann_file=str(ann), data_root=missing_root, num_classes=2)
    assert [ds.get_data_info(i)['filename'] for i in range(2)] == [str(root / 'a.avi'),
                                                                   str(root / 'frames')]
    register_all_modules()
    check_data_roots(dict(train_dataloader=dict(dataset=dict(
        type='CSVDataset', data_root=missing_root, ann_file=str(ann)))), ['train_dataloader'])


def test_relative_paths_still_need_the_data_root(root, tmp_path_factory):
    missing_root = str(tmp_path_factory.mktemp('elsewhere') / 'my_videos')
    ann = root / write(root, 'path,label\na.avi,0\n')
    with pytest.raises(DatasetError, match='data root .* does not exist.*here \'a.avi\''):
        CSVDataset(ann_file=str(ann), data_root=missing_root, num_classes=2)
    with pytest.raises(DatasetError, match='data root .* does not exist'):
        CSVDataset(ann_file='ann.csv', data_root=missing_root, num_classes=2)


# ---- multi-label: ';'-separated class indices, or one 0/1 column per class ----
def test_indices_become_a_multi_hot_label_and_an_empty_cell_none(root):
    ann = write(root, 'path,label\na.avi,1;3\nb.avi,\nc.avi,2\n')
    ds = CSVDataset(ann_file=ann, data_root=str(root), task='multilabel', num_classes=4)
    assert [ds.get_data_info(i)['label'] for i in range(3)] == [[0, 1, 0, 1], [0, 0, 0, 0],
                                                                [0, 0, 1, 0]]
    assert ds.metainfo['classes'] == ('0', '1', '2', '3') and ds.metainfo['task'] == 'multilabel'
    target = to_label_tensor(ds.get_data_info(0)['label'], 'multilabel')
    assert target.dtype == torch.float32 and target.tolist() == [0, 1, 0, 1]


def test_class_columns_hold_zero_or_one_and_name_the_classes(root):
    ann = write(root, 'path,cat,dog\na.avi,1,1\nb.avi,0,0\n')
    ds = CSVDataset(ann_file=ann, data_root=str(root), task='multilabel',
                    label_columns=['cat', 'dog'])
    assert ds.get_data_info(0)['label'] == [1, 1] and ds.get_data_info(1)['label'] == [0, 0]
    assert ds.metainfo['classes'] == ('cat', 'dog')
    with pytest.raises(DatasetError, match=r'num_classes=3 but there are 2 class columns'):
        CSVDataset(ann_file=ann, data_root=str(root), task='multilabel', num_classes=3,
                   label_columns=['cat', 'dog'])


def test_every_bad_multi_label_row_is_named_with_its_line(root):
    ann = write(root, 'path,label\na.avi,0;4\nb.avi,1;1\nc.avi,x;2\na.avi,1.5\nb.avi,-1\n'
                      'c.avi,0;2\n')
    with pytest.raises(DatasetError) as info:
        CSVDataset(ann_file=ann, data_root=str(root), task='multilabel', num_classes=4)
    message = str(info.value)
    assert '5 of 6 samples' in message
    assert "ann.csv line 2: label '0;4': class 4 is outside [0, 4)" in message
    assert "ann.csv line 3: label '1;1': class 1 is listed twice" in message
    assert "ann.csv line 4: label 'x;2': 'x' is not a class index" in message
    assert "line 5: label '1.5': '1.5' is not a class index" in message
    assert "line 6: label '-1': '-1' is not a class index" in message


def test_a_class_column_other_than_zero_or_one_is_a_bad_row(root):
    ann = write(root, 'path,cat,dog\na.avi,1,2\nb.avi,0,1\n')
    with pytest.raises(DatasetError, match=r"line 2: column 'dog' holds '2'; each class column"):
        CSVDataset(ann_file=ann, data_root=str(root), task='multilabel',
                   label_columns=['cat', 'dog'])


def test_indices_without_a_class_count_are_refused(root):
    ann = write(root, 'path,label\na.avi,1\n')
    with pytest.raises(DatasetError, match='needs num_classes'):
        CSVDataset(ann_file=ann, data_root=str(root), task='multilabel')


def test_a_single_integer_cell_is_one_class():
    assert multi_hot_of_indices(2, 3) == [0, 0, 1]
    assert multi_hot_of_indices(' 0 ; 2 ', 3) == [1, 0, 1]
