import os

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from vidreg.utils import (
    CheckpointError,
    find_resume_checkpoint,
    load_checkpoint_file,
    state_dict_checksum,
    use_safe_loader_for_mmengine,
)
from vidreg.utils.checkpoint import CHECKSUM_KEY


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


def test_getattr_is_restricted_to_history_buffer_statistics(tmp_path):
    class Sneaky:
        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))
    path = tmp_path / 'sneaky.pth'
    torch.save({'x': Sneaky()}, path)
    with pytest.raises(CheckpointError, match='sneaky.pth'):
        load_checkpoint_file(str(path))


class CreatesMarker:
    """Unpickling this runs code: it creates the file ``path``."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (exec, (f'open({self.path!r}, "w").close()',))


@pytest.fixture
def malicious_checkpoint(tmp_path, monkeypatch):
    """A crafted checkpoint, with torch told by the environment to load with full pickle."""
    marker = tmp_path / 'pwned'
    path = tmp_path / 'work' / 'epoch_1.pth'
    path.parent.mkdir()
    torch.save({'state_dict': {'w': torch.ones(1)}, 'meta': CreatesMarker(marker)}, path)
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    return path, marker


def test_crafted_checkpoint_is_refused_whatever_the_environment(malicious_checkpoint):
    path, marker = malicious_checkpoint
    with pytest.raises(CheckpointError, match="epoch_1.pth.*refused.*'exec'") as info:
        load_checkpoint_file(str(path))
    assert 'weights_only' not in str(info.value)  # no advice to load it unsafely
    assert not marker.exists()
    assert os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] == '1'  # the user's setting is kept


def test_mmengine_loads_go_through_the_safe_loader(malicious_checkpoint):
    # Runner.resume and load_from (tools/test.py too) read files with mmengine's _load_checkpoint.
    path, marker = malicious_checkpoint
    use_safe_loader_for_mmengine()
    with pytest.raises(CheckpointError, match='refused'):
        _load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()


def test_plain_resume_checks_the_work_dirs_latest_checkpoint(malicious_checkpoint):
    path, marker = malicious_checkpoint
    (path.parent / 'last_checkpoint').write_text(str(path))
    with pytest.raises(CheckpointError, match='refused'):
        find_resume_checkpoint(None, str(path.parent))
    assert not marker.exists()


def test_nothing_to_resume_is_an_error_naming_the_folder(tmp_path):
    with pytest.raises(CheckpointError, match='nothing to resume in .*empty'):
        find_resume_checkpoint(None, str(tmp_path / 'empty'))
    (tmp_path / 'run').mkdir()
    with pytest.raises(CheckpointError, match='nothing to resume in .*run') as info:
        find_resume_checkpoint(str(tmp_path / 'run'), str(tmp_path / 'other'))
    assert 'does not exist' not in str(info.value)


def test_resume_from_a_folder_takes_its_latest_checkpoint(tmp_path):
    torch.save({'state_dict': {'w': torch.ones(1)}}, tmp_path / 'epoch_2.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_2.pth'))
    assert find_resume_checkpoint(str(tmp_path), 'elsewhere') == str(tmp_path / 'epoch_2.pth')
    assert find_resume_checkpoint(None, str(tmp_path)) == str(tmp_path / 'epoch_2.pth')


def test_a_directory_is_not_said_to_be_missing(tmp_path):
    with pytest.raises(CheckpointError, match='is a directory'):
        load_checkpoint_file(str(tmp_path))


def _flip_bytes_of(path, tensor):
    data = bytearray(path.read_bytes())
    start = data.find(tensor.numpy().tobytes())
    assert start > 0
    data[start:start + 4] = bytes(b ^ 0xFF for b in data[start:start + 4])
    path.write_bytes(bytes(data))


def test_flipped_bytes_in_the_weights_are_refused(tmp_path):
    weights = torch.arange(64, dtype=torch.float32) + 0.5
    state_dict = {'layer.weight': weights, 'layer.bias': torch.zeros(3)}
    path = tmp_path / 'epoch_1.pth'
    torch.save({'state_dict': state_dict, CHECKSUM_KEY: state_dict_checksum(state_dict)}, path)
    assert load_checkpoint_file(str(path))['state_dict']['layer.weight'].equal(weights)
    _flip_bytes_of(path, weights)
    with pytest.raises(CheckpointError, match='epoch_1.pth.*corrupt.*checksum'):
        load_checkpoint_file(str(path))


def test_checkpoints_without_a_checksum_still_load(tmp_path):
    weights = torch.arange(64, dtype=torch.float32)
    path = tmp_path / 'old.pth'
    torch.save({'state_dict': {'w': weights}}, path)
    _flip_bytes_of(path, weights)  # nothing to check against
    assert load_checkpoint_file(str(path))['state_dict']['w'].shape == (64,)


def test_checksum_depends_on_every_byte_not_on_key_order():
    a = {'x': torch.zeros(4), 'y': torch.ones(2, dtype=torch.int64)}
    b = {'y': torch.ones(2, dtype=torch.int64), 'x': torch.zeros(4)}
    assert state_dict_checksum(a) == state_dict_checksum(b)
    b['x'] = torch.tensor([0.0, 0.0, 0.0, 1e-30])
    assert state_dict_checksum(a) != state_dict_checksum(b)
    assert os.sep not in state_dict_checksum(a)


def test_plain_resume_names_a_truncated_latest_checkpoint(tmp_path):
    path = tmp_path / 'epoch_3.pth'
    torch.save({'state_dict': {'w': torch.ones(100)}}, path)
    path.write_bytes(path.read_bytes()[:200])
    (tmp_path / 'last_checkpoint').write_text(str(path))
    with pytest.raises(CheckpointError, match='epoch_3.pth.*not a readable checkpoint'):
        find_resume_checkpoint(None, str(tmp_path))


def test_an_onnx_model_or_a_config_given_as_a_checkpoint_says_what_it_is(tmp_path):
    import onnx
    from onnx import TensorProto, helper
    x = helper.make_tensor_value_info('x', TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node('Identity', ['x'], ['y'])], 'g', [x],
                              [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1])])
    onnx.save(helper.make_model(graph), str(tmp_path / 'model.onnx'))
    with pytest.raises(CheckpointError, match=r"model.onnx' is an ONNX model .* tools/infer.py "
                                              r'.* --backend onnxruntime') as refused:
        load_checkpoint_file(str(tmp_path / 'model.onnx'))
    assert 'could run code' not in str(refused.value)
    config = tmp_path / 'my_config.py'
    config.write_text("model = dict(type='Recognizer')\n")
    with pytest.raises(CheckpointError, match=r"my_config.py' is a Python file \(a config\?\), "
                                              r'not a checkpoint: pass the .pth') as refused:
        load_checkpoint_file(str(config))
    assert 'could run code' not in str(refused.value)
