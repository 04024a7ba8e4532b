import pytest
import torch
import torchvision

from vidreg.models.backbones import ResNet2D
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS, tiny_clip

RESNET18_CACHE_NAME = 'resnet18-f37072fd.pth'  # file name of ResNet18_Weights.IMAGENET1K_V1


def _torchvision_features(net: torch.nn.Module, clip: torch.Tensor) -> torch.Tensor:
    """torchvision's own layers up to layer4, frame by frame: (B, D, T, H', W')."""
    frames = []
    for t in range(clip.shape[2]):
        x = net.maxpool(net.relu(net.bn1(net.conv1(clip[:, :, t]))))
        frames.append(net.layer4(net.layer3(net.layer2(net.layer1(x)))))
    return torch.stack(frames, dim=2)


@pytest.fixture
def torchvision_resnet18():
    torch.manual_seed(1)
    net = torchvision.models.resnet18()
    with torch.no_grad():  # non-trivial BN statistics, so that loading them is checked too
        for module in net.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
    return net.eval()


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    (tmp_path / 'hub' / 'checkpoints').mkdir(parents=True)
    return tmp_path / 'hub' / 'checkpoints'


def test_shape_finite_backward_and_registry():
    model = MODELS.build(dict(type='ResNet2D', **TINY_KWARGS['ResNet2D']))
    assert model.out_channels == 512
    x = tiny_clip().requires_grad_()
    out = model(x)
    assert out.shape == (2, 512, 4, 1, 1) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None and model.conv1.weight.grad is not None


def test_depth50_has_2048_channels():
    model = ResNet2D(depth=50)
    assert model.out_channels == 2048
    assert model(tiny_clip(batch=1, frames=2, size=64)).shape == (1, 2048, 2, 2, 2)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='depth'):
        ResNet2D(depth=101)
    with pytest.raises(ValueError, match='frozen_stages'):
        ResNet2D(frozen_stages=5)


def test_torchvision_state_dict_gives_torchvision_features(tmp_path, torchvision_resnet18):
    path = tmp_path / 'resnet18.pth'
    torch.save(torchvision_resnet18.state_dict(), path)
    model = ResNet2D(depth=18, pretrained=str(path))
    model.init_weights()
    model.eval()
    clip = tiny_clip()
    with torch.no_grad():
        torch.testing.assert_close(model(clip), _torchvision_features(torchvision_resnet18, clip))


def test_recognizer_checkpoint_with_prefix(tmp_path, torchvision_resnet18):
    path = tmp_path / 'epoch_1.pth'
    state = {f'backbone.{k}': v for k, v in torchvision_resnet18.state_dict().items()}
    torch.save(dict(state_dict=state, meta=dict(epoch=1)), path)
    model = ResNet2D(pretrained=str(path), pretrained_prefix='backbone.')
    model.init_weights()
    torch.testing.assert_close(model.layer4[1].bn2.running_var,
                               torchvision_resnet18.layer4[1].bn2.running_var)


@pytest.mark.parametrize('name', ['ResNet18_Weights.IMAGENET1K_V1', 'IMAGENET1K_V1', 'DEFAULT'])
def test_weights_name_loads_from_the_hub_cache(torch_home, torchvision_resnet18, name):
    torch.save(torchvision_resnet18.state_dict(), torch_home / RESNET18_CACHE_NAME)
    model = ResNet2D(depth=18, pretrained=name)
    model.init_weights()
    torch.testing.assert_close(model.conv1.weight, torchvision_resnet18.conv1.weight)


def test_weights_name_without_cached_file_never_downloads(torch_home, monkeypatch):
    def no_download(*args, **kwargs):
        raise AssertionError('tried to download')

    monkeypatch.setattr(torch.hub, 'load_state_dict_from_url', no_download)
    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_download)
    with pytest.raises(FileNotFoundError) as error:
        ResNet2D(depth=18, pretrained='IMAGENET1K_V1').init_weights()
    message = str(error.value)
    assert str(torch_home / RESNET18_CACHE_NAME) in message and 'TORCH_HOME' in message


def test_other_depth_weights_name_is_rejected(torch_home):
    with pytest.raises(ValueError, match='ResNet18_Weights'):
        ResNet2D(depth=18, pretrained='ResNet50_Weights.IMAGENET1K_V2').init_weights()


def test_pretrained_is_read_by_init_weights_only(tmp_path):
    # Building (to test or infer from a checkpoint) needs no pretrained file; training from
    # scratch (init_weights) still stops with the file named.
    model = ResNet2D(pretrained=str(tmp_path / 'nowhere.pth'))
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        model.init_weights()


@pytest.mark.parametrize('frozen_stages', [-1, 0, 2, 4])
def test_frozen_stages_stay_frozen(frozen_stages):
    torch.manual_seed(0)
    model = ResNet2D(frozen_stages=frozen_stages).train()
    frozen_prefixes = ('conv1.', 'bn1.', 'layer1.', 'layer2.', 'layer3.', 'layer4.')
    frozen_prefixes = frozen_prefixes[:frozen_stages + 2] if frozen_stages >= 0 else ()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model(tiny_clip().requires_grad_()).pow(2).mean().backward()  # works with all frozen
    optimizer.step()
    for name, param in model.named_parameters():
        frozen = name.startswith(frozen_prefixes)
        assert param.requires_grad is not frozen, name
        assert torch.equal(param, before[name]) is frozen, name
    for name, value in model.state_dict().items():  # BN running statistics too
        if name.endswith('running_mean'):
            assert torch.equal(value, before[name]) is name.startswith(frozen_prefixes), name


def test_norm_eval_keeps_batchnorm_in_eval_mode():
    model = ResNet2D(norm_eval=True).train()
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert norms and not any(m.training for m in norms) and model.layer1.training
    before = model.layer3[0].bn1.running_mean.clone()
    model(tiny_clip())
    torch.testing.assert_close(model.layer3[0].bn1.running_mean, before)
    assert all(m.training for m in ResNet2D().train().modules())


def test_frame_chunk_gives_the_same_output():
    torch.manual_seed(0)
    model = ResNet2D().eval()
    chunked = ResNet2D(frame_chunk=3).eval()
    chunked.load_state_dict(model.state_dict())
    clip = tiny_clip()
    with torch.no_grad():
        torch.testing.assert_close(chunked(clip), model(clip))
