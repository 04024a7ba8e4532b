import pytest

from vidreg.datasets import DAiSEEDataset, DatasetError

HEADER = 'ClipID,Boredom,Engagement,Confusion,Frustration \r\n'  # as distributed


@pytest.fixture
def daisee(tmp_path):
    rows = {'Train': [('1100011002.avi', 0, 2, 0, 1), ('1100011003.avi', 1, 3, 0, 0)],
            'Validation': [('4000221001.avi', 2, 1, 1, 0)],
            'Test': [('5000441001.avi', 0, 0, 0, 0)]}
    (tmp_path / 'Labels').mkdir()
    for split, clips in rows.items():
        lines = [HEADER] + [','.join(map(str, r)) + '\r\n' for r in clips]
        (tmp_path / 'Labels' / f'{split}Labels.csv').write_text(''.join(lines))
        for clip, *_ in clips:
            stem = clip[:-4]
            folder = tmp_path / 'DataSet' / split / stem[:6] / stem
            folder.mkdir(parents=True)
            # One clip stored as .mp4 although its label row says .avi (happens in DAiSEE).
            (folder / (stem + ('.mp4' if stem.endswith('003') else '.avi'))).write_bytes(b'x')
    return tmp_path


def test_engagement_classification(daisee):
    ds = DAiSEEDataset(data_root=str(daisee), split='Train')
    assert len(ds) == 2
    assert ds.get_data_info(0)['label'] == 2
    assert ds.get_data_info(1)['filename'].endswith('110001/1100011003/1100011003.mp4')
    assert ds.metainfo['classes'] == ('very low', 'low', 'high', 'very high')


def test_multi_state_regression_reads_trailing_space_column(daisee):
    ds = DAiSEEDataset(data_root=str(daisee), split='Validation', task='regression',
                       label=['Engagement', 'Frustration'])
    assert ds.get_data_info(0)['label'] == [1, 0]
    assert ds.metainfo['targets'] == ('Engagement', 'Frustration')  # metrics name each target


def test_missing_root_explains_layout(tmp_path):
    with pytest.raises(DatasetError) as info:
        DAiSEEDataset(data_root=str(tmp_path / 'DAiSEE'), split='Train')
    message = str(info.value)
    assert str(tmp_path / 'DAiSEE') in message and 'DataSet/{Train,Validation,Test}' in message
    assert '--cfg-options data_root=' in message


def test_missing_video_named(daisee):
    (daisee / 'DataSet' / 'Test' / '500044' / '5000441001' / '5000441001.avi').unlink()
    with pytest.raises(DatasetError, match='ClipID 5000441001.avi'):
        DAiSEEDataset(data_root=str(daisee), split='Test')


def test_a_non_finite_regression_label_is_a_bad_row(daisee):
    labels = daisee / 'Labels' / 'TrainLabels.csv'
    labels.write_text(labels.read_text().replace('1100011002.avi,0,2', '1100011002.avi,0,1e400'))
    with pytest.raises(DatasetError, match=r"ClipID 1100011002.avi.*label '1e400' is not a "
                                           r'finite number'):
        DAiSEEDataset(data_root=str(daisee), split='Train', task='regression')
