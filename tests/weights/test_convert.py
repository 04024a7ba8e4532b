"""convert_weights (tools/convert_weights.py): each foreign layout, made with its key names,
converts and loads."""
import pytest
import torch
import torchvision.models.video as tv
from mmengine.config import Config

from vidreg.config import ConfigError
from vidreg.fileio import OutputPathError
from vidreg.models.backbones import C3D, ResNet3D, VideoResNet
from vidreg.utils import CheckpointError, load_checkpoint_file
from vidreg.weights import convert_weights

# The Sports-1M PyTorch port's conv names (conv1/conv2 are also spelt conv1a/conv2a).
PORT_CONVS = ['conv1a', 'conv2a', 'conv3a', 'conv3b', 'conv4a', 'conv4b', 'conv5a', 'conv5b']


def _c3d_port_state_dict(width: int = 4, fc: int = 8) -> dict:
    """The port's key names, with C3D's shapes at 1/16 width (fc6 fed by 16x112x112 clips).

    The full-width shapes are checked in tests/models/backbones/test_c3d.py.
    """
    channels = [3] + [width * m for m in (1, 2, 4, 4, 8, 8, 8, 8)]
    state = {}
    for index, (name, cin, cout) in enumerate(zip(PORT_CONVS, channels, channels[1:])):
        state[f'{name}.weight'] = torch.rand(cout, cin, 3, 3, 3)
        state[f'{name}.bias'] = torch.full((cout,), float(index))
    for name, (cin, cout) in (('fc6', (8 * width * 16, fc)), ('fc7', (fc, fc)), ('fc8', (fc, 487))):
        state[f'{name}.weight'] = torch.zeros(cout, cin)
        state[f'{name}.bias'] = torch.zeros(cout)
    return state


def _convert(capsys, src, dst, source, backbone=None):
    convert_weights(str(src), str(dst), source, backbone)
    out = capsys.readouterr().out
    return load_checkpoint_file(str(dst)), out


def test_c3d_sports1m_port(tmp_path, capsys):
    torch.save(_c3d_port_state_dict(), tmp_path / 'c3d.pickle')
    ckpt, out = _convert(capsys, tmp_path / 'c3d.pickle', tmp_path / 'c3d.pth', 'c3d-sports1m')
    assert 'missing keys (0)' in out and 'unexpected keys (0)' in out
    assert ckpt['meta']['data_preprocessor']['mean'] == (90.25, 97.66, 101.41)
    assert ckpt['meta']['backbone'] == dict(type='C3D', base_channels=4, norm=False,
                                            fc_channels=8, input_size=(16, 112, 112))
    model = C3D(base_channels=4, fc_channels=8, pretrained=str(tmp_path / 'c3d.pth'))
    model.init_weights()
    assert torch.equal(model.conv3b.conv.bias, torch.full((16,), 3.0))  # the 4th conv


def test_mmaction2_c3d_recognizer_checkpoint(tmp_path, capsys):
    with torch.device('meta'):
        names = {k: tuple(v.shape) for k, v in C3D(
            base_channels=4, norm=True, fc_channels=8, input_size=(4, 32, 32)).state_dict().items()}
    state = {f'backbone.{k}': torch.rand(shape) for k, shape in names.items()}
    state['cls_head.fc_cls.weight'] = torch.zeros(101, 8)
    torch.save(dict(state_dict=state, meta=dict(epoch=45)), tmp_path / 'mma.pth')
    with pytest.raises(CheckpointError, match='fc6 takes'):  # fc6 does not fit 16x112x112 clips
        _convert(capsys, tmp_path / 'mma.pth', tmp_path / 'out.pth', 'mmaction2')
    backbone = "dict(type='C3D', base_channels=4, norm=True, fc_channels=8, input_size=(4, 32, 32))"
    ckpt, out = _convert(capsys, tmp_path / 'mma.pth', tmp_path / 'out.pth', 'mmaction2',
                         backbone)
    assert 'missing keys (0)' in out and 'unexpected keys (0)' in out
    assert ckpt['meta']['data_preprocessor']['mean'] == (104.0, 117.0, 128.0)
    model = C3D(base_channels=4, norm=True, fc_channels=8, input_size=(4, 32, 32),
                pretrained=str(tmp_path / 'out.pth'))
    model.init_weights()
    assert torch.equal(model.conv1a.bn.running_var, state['backbone.conv1a.bn.running_var'])


def _torchvision_layout(arch: str) -> dict:
    """torchvision's video ResNet keys (fc included) at 1/16 width.

    VideoResNet's names equal torchvision's (tests/models/backbones/test_video_resnet.py).
    """
    state = dict(VideoResNet(arch=arch, base_channels=4).state_dict())
    state.update({'fc.weight': torch.rand(400, 32), 'fc.bias': torch.rand(400)})
    return state


def test_torchvision_r2plus1d(tmp_path, capsys):
    with torch.device('meta'):
        assert set(tv.r2plus1d_18().state_dict()) == set(_torchvision_layout('r2plus1d'))
    state = _torchvision_layout('r2plus1d')
    torch.save(state, tmp_path / 'r2p1d.pth')
    ckpt, out = _convert(capsys, tmp_path / 'r2p1d.pth', tmp_path / 'out.pth', 'torchvision')
    assert ckpt['meta']['backbone'] == dict(type='VideoResNet', arch='r2plus1d', depth=18,
                                            base_channels=4)
    assert ckpt['meta']['data_preprocessor']['std'][0] == pytest.approx(0.22803 * 255)
    assert 'missing keys (0)' in out and 'unexpected keys (0)' in out
    assert 'a complete classifier' in out and 'no class names' in out
    assert torch.equal(ckpt['state_dict']['head.fc.bias'], state['fc.bias'])  # fc kept as head
    assert 'classes' not in ckpt['meta']['dataset_meta']  # a file torchvision did not name
    # The complete checkpoint still serves as a backbone's pretrained (its backbone part).
    model = VideoResNet(arch='r2plus1d', base_channels=4, pretrained=str(tmp_path / 'out.pth'))
    model.init_weights()
    assert torch.equal(model.stem[0].weight, state['stem.0.weight'])


def test_torchvision_weights_name_from_the_cache_stores_the_kinetics_classes(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    (tmp_path / 'hub' / 'checkpoints').mkdir(parents=True)
    state = _torchvision_layout('mc3')  # at 1/16 width under the cache's file name
    torch.save(state, tmp_path / 'hub' / 'checkpoints' / 'mc3_18-a90a0ba3.pth')
    ckpt, out = _convert(capsys, 'MC3_18_Weights.KINETICS400_V1', tmp_path / 'mc3.pth',
                         'torchvision')
    classes = ckpt['meta']['dataset_meta']['classes']
    assert len(classes) == 400 and classes[0] == 'abseiling'
    assert 'class names stored' in out
    cfg = Config.fromstring(ckpt['meta']['cfg'], file_format='.py')
    assert cfg.model.head == dict(type='ClsHead', num_classes=400)
    assert cfg.model.backbone == dict(type='VideoResNet', arch='mc3', depth=18, base_channels=4)


def test_torchvision_weights_name_needs_the_local_cache(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    with pytest.raises(FileNotFoundError, match='never downloads'):
        convert_weights('R2Plus1D_18_Weights.KINETICS400_V1', str(tmp_path / 'o.pth'),
                        'torchvision')


def test_kenshohara_resnet_with_dataparallel_prefix(tmp_path, capsys):
    with torch.device('meta'):
        names = {k: tuple(v.shape) for k, v in ResNet3D(depth=18, base_channels=4,
                                                        shortcut='A').state_dict().items()}
    state = {f'module.{k}': torch.rand(shape) for k, shape in names.items()}
    state['module.fc.weight'] = torch.zeros(400, 32)
    torch.save(dict(epoch=200, arch='resnet-18', state_dict=state), tmp_path / 'k.pth')
    ckpt, out = _convert(capsys, tmp_path / 'k.pth', tmp_path / 'out.pth', 'kenshohara')
    assert ckpt['meta']['backbone'] == dict(type='ResNet3D', depth=18, base_channels=4,
                                            conv1_kernel=(7, 7, 7), shortcut='A')
    assert 'missing keys (0)' in out and 'unexpected keys (0)' in out
    model = ResNet3D(depth=18, base_channels=4, shortcut='A', pretrained=str(tmp_path / 'out.pth'))
    model.init_weights()
    assert torch.equal(model.conv1.weight, state['module.conv1.weight'])


def test_shape_mismatch_is_a_clear_error(tmp_path):
    torch.save(_torchvision_layout('mc3'), tmp_path / 'mc3.pth')
    with pytest.raises(CheckpointError, match='shapes do not fit'):
        convert_weights(str(tmp_path / 'mc3.pth'), str(tmp_path / 'o.pth'), 'torchvision',
                        "dict(type='VideoResNet', arch='r3d', base_channels=4)")


@pytest.fixture
def r3d_weights(tmp_path):
    torch.save(_torchvision_layout('r3d'), tmp_path / 'r3d.pth')
    return tmp_path / 'r3d.pth'


def _main(src, dst, source, backbone=None, force=False):
    convert_weights(str(src), str(dst), source, backbone, force=force)


@pytest.mark.parametrize('source', ['c3d-sports1m', 'mmaction2', 'kenshohara'])
def test_a_wrong_from_names_the_layout_that_fits(r3d_weights, tmp_path, source):
    with pytest.raises(CheckpointError, match=f'does not look like a --from {source} checkpoint'
                                              r'.*its tensors fit --from torchvision'):
        _main(r3d_weights, tmp_path / 'o.pth', source)
    assert not (tmp_path / 'o.pth').exists()


@pytest.mark.parametrize('backbone, message', [
    ("dict(type='C3D'", r'is not Python \(.*never closed\)'),
    ('dict(type=C3D)', 'holds something other than literals'),
    ('[1]', 'takes a dict literal with a type'),
    ("dict(type='Nope')", "no model type 'Nope' is registered"),
    ("dict(type='C3D', depth=3)", "cannot be built: .*unexpected keyword argument 'depth'")])
def test_a_bad_backbone_is_a_config_error(r3d_weights, tmp_path, backbone, message):
    with pytest.raises(ConfigError, match=message):
        _main(r3d_weights, tmp_path / 'o.pth', 'torchvision', backbone)


def test_weights_that_do_not_fit_the_backbone_write_nothing(r3d_weights, tmp_path):
    with pytest.raises(CheckpointError, match=r"does not fit \{'type': 'C3D'\}: 0 of its 120 "
                                              r"converted tensors match the backbone's 20 "
                                              r'\(matched: none; .*leave out --backbone: they fit '
                                              r"\{'type': 'VideoResNet', 'arch': 'r3d'"):
        _main(r3d_weights, tmp_path / 'c3d.pth', 'torchvision',
              "dict(type='C3D')")
    assert not (tmp_path / 'c3d.pth').exists()


def test_the_destination_is_never_the_source_nor_a_folder_and_needs_force(r3d_weights, tmp_path,
                                                                           monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputPathError, match=r"DST './r3d.pth' is an input of this run"):
        _main('r3d.pth', './r3d.pth', 'torchvision', force=True)
    with pytest.raises(OutputPathError, match=r"DST '.' is a folder: .* e.g. './r3d.pth'"):
        _main('r3d.pth', '.', 'torchvision')
    _main('r3d.pth', 'out.pth', 'torchvision')
    assert 'converted 122 tensors' in capsys.readouterr().out  # 120 backbone + the head's 2
    with pytest.raises(OutputPathError, match=r"'out.pth' exists \(DST\): pass --force"):
        _main('r3d.pth', 'out.pth', 'torchvision')
    _main('r3d.pth', 'out.pth', 'torchvision', force=True)
