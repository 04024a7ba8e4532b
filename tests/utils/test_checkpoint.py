import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from vidreg.utils import CheckpointError, atomic_torch_save, load_checkpoint_file


def test_mmengine_style_checkpoint_loads_with_weights_only(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    checkpoint = dict(state_dict={'w': torch.ones(2)},
                      message_hub=dict(log_scalars={'train/loss': buffer},
                                       runtime_info={'arr': np.arange(3.0),
                                                     'score': np.float64(0.75)}))
    path = tmp_path / 'epoch_1.pth'
    torch.save(checkpoint, path)
    with pytest.raises(Exception):  # plain torch.load refuses these types by default
        torch.serialization.clear_safe_globals()
        torch.load(path)
    loaded = load_checkpoint_file(str(path))
    assert loaded['message_hub']['log_scalars']['train/loss'].current() == 0.5
    assert loaded['message_hub']['runtime_info']['score'] == 0.75


def test_untrusted_objects_are_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ('pwned',))
    path = tmp_path / 'evil.pth'
    torch.save({'x': Evil()}, path)
    with pytest.raises(CheckpointError, match='evil.pth'):
        load_checkpoint_file(str(path))


def test_missing_and_garbage_files_are_named(tmp_path):
    with pytest.raises(CheckpointError, match='does not exist'):
        load_checkpoint_file(str(tmp_path / 'nope.pth'))
    garbage = tmp_path / 'notes.pth'
    garbage.write_text('this is not a checkpoint')
    with pytest.raises(CheckpointError, match='notes.pth.*not a readable checkpoint'):
        load_checkpoint_file(str(garbage))


def test_atomic_save_leaves_no_temporary_file(tmp_path):
    path = tmp_path / 'x.pth'
    atomic_torch_save({'a': torch.zeros(1)}, str(path))
    assert [p.name for p in tmp_path.iterdir()] == ['x.pth']


def test_getattr_is_restricted_to_history_buffer_statistics(tmp_path):
    class Sneaky:
        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))
    path = tmp_path / 'sneaky.pth'
    torch.save({'x': Sneaky()}, path)
    with pytest.raises(CheckpointError, match='sneaky.pth'):
        load_checkpoint_file(str(path))
