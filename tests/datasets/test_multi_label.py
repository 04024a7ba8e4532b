"""Multi-label CSVs: ';'-separated class indices or one 0/1 column per class."""
import pytest
import torch

from vidreg.datasets import CSVDataset, DatasetError
from vidreg.datasets.multi_label import multi_hot_of_indices
from vidreg.structures import to_label_tensor


@pytest.fixture
def root(tmp_path):
    for name in ('a.avi', 'b.avi', 'c.avi'):
        (tmp_path / name).write_bytes(b'x')
    return tmp_path


def write(root, text, name='ann.csv'):
    (root / name).write_bytes(text.encode())
    return name


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
