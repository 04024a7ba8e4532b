"""load_predictor: a model file that does not fit the backend is one clear error, up front."""
import onnx
import pytest
from onnx import TensorProto, helper

from vidreg.deployment import ModelLoadError, check_window_options, load_predictor
from vidreg.deployment.predictor import predict_each
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture(scope='module')
def plain_onnx(tmp_path_factory):
    """A real ONNX model (Identity), not written by tools/export.py: no vidreg metadata."""
    x = helper.make_tensor_value_info('x', TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info('y', TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node('Identity', ['x'], ['y'])], 'g', [x], [y])
    path = tmp_path_factory.mktemp('onnx') / 'plain.onnx'
    onnx.save(helper.make_model(graph), str(path))
    return str(path)


def test_a_checkpoint_given_to_onnxruntime(tmp_path):
    checkpoint = write_tiny_checkpoint(tmp_path / 'tiny.pth')
    with pytest.raises(ModelLoadError, match=r"tiny.pth' is a PyTorch checkpoint, not an ONNX "
                                             r'model: leave out --backend onnxruntime'):
        load_predictor(checkpoint, backend='onnxruntime')


def test_an_onnx_given_to_pytorch(plain_onnx):
    with pytest.raises(ModelLoadError, match=r"plain.onnx' is an ONNX model .* --backend "
                                             r'onnxruntime'):
        load_predictor(plain_onnx, backend='pytorch')


def test_an_onnx_not_exported_by_vidreg_and_a_broken_one(plain_onnx, tmp_path):
    with pytest.raises(ModelLoadError, match='lacks the metadata .* tools/export.py'):
        load_predictor(plain_onnx, backend='onnxruntime')
    broken = tmp_path / 'broken.onnx'
    broken.write_bytes(b'not protobuf at all')
    with pytest.raises(ModelLoadError, match=r"broken.onnx' cannot be run with onnxruntime"):
        load_predictor(str(broken), backend='onnxruntime')
    with pytest.raises(ModelLoadError, match='does not exist'):
        load_predictor(str(tmp_path / 'missing.onnx'), backend='onnxruntime')


def test_window_options():
    check_window_options(2.0, None, 'pytorch')
    with pytest.raises(ValueError, match='--stride needs --window'):
        check_window_options(None, 1.0, 'pytorch')
    with pytest.raises(ValueError, match='--window needs the pytorch backend'):
        check_window_options(2.0, None, 'onnxruntime')


def test_a_batching_predictor_gives_each_input_its_outcome_in_order(tmp_path):
    """tools/infer.py --batch-size 2: every input in its place, a broken file as its error."""
    checkpoint = write_tiny_checkpoint(tmp_path / 'tiny.pth')
    broken = tmp_path / 'broken.avi'
    broken.write_bytes(b'not a video')
    videos = [write_tiny_video(tmp_path / f'{i}.avi', seed=i) for i in range(2)]
    items = [(videos[0], 'grow'), (str(broken), None), (videos[1], None)]
    outcomes = list(predict_each(load_predictor(checkpoint, batch_size=2), items))
    assert [index for index, _ in outcomes] == [0, 1, 2]
    (_, first), (_, error), (_, last) = outcomes
    assert isinstance(error, str) and error
    assert first[0].path == videos[0] and first[0].label == 'grow' and last[0].path == videos[1]
