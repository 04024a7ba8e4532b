"""A decode or dataset error reads the same with and without DataLoader workers."""
import pytest
from torch.utils.data import DataLoader

from vidreg.datasets import CSVDataset, DatasetError, video_collate
from vidreg.pipeline.decoders import VideoReadError
from vidreg.utils import register_all_modules
from vidreg.utils.worker_safe_error import worker_original_message

PIPELINE = [dict(type='OpenVideo'), dict(type='UniformSampleFrames', num_frames=4),
            dict(type='DecodeFrames'), dict(type='PackVideoInputs')]


def _error(dataset, num_workers):
    loader = DataLoader(dataset, batch_size=1, num_workers=num_workers, collate_fn=video_collate)
    with pytest.raises(Exception) as info:
        next(iter(loader))
    return info.value


def test_zero_byte_video_message_is_the_same_with_workers(tmp_path):
    (tmp_path / 'empty.mp4').write_bytes(b'')
    (tmp_path / 'ann.csv').write_text('path,label\nempty.mp4,0\n')
    register_all_modules()
    dataset = CSVDataset(ann_file='ann.csv', data_root=str(tmp_path), num_classes=2,
                         pipeline=PIPELINE)
    plain, worker = _error(dataset, 0), _error(dataset, 2)
    assert type(plain) is type(worker) is VideoReadError
    assert str(worker) == str(plain)
    assert str(worker).startswith(f"Cannot read video {str(tmp_path / 'empty.mp4')!r}: ")
    assert (worker.path, worker.reason, worker.hint) == (plain.path, plain.reason, plain.hint)


class _Failing:
    def __len__(self):
        return 2

    def __getitem__(self, index):
        raise DatasetError('ann.csv line 3: label 9 is outside [0, 2)\nFix this row.')


def test_dataset_error_message_is_the_same_with_workers():
    plain, worker = _error(_Failing(), 0), _error(_Failing(), 1)
    assert type(worker) is DatasetError and str(worker) == str(plain)


def test_ordinary_messages_are_kept():
    assert worker_original_message('Caught nothing', DatasetError) is None
    assert str(DatasetError('plain message')) == 'plain message'
    error = VideoReadError('/x/a.mp4')
    assert (error.path, error.reason) == ('/x/a.mp4', 'it cannot be read')
