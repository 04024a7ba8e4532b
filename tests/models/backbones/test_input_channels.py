"""Backbones on other inputs than RGB (2D flow stacks, 3D flow fields): the first convolution
adapted to in_channels, pretrained RGB filters averaged over colour and replicated (TSN's
cross-modality initialisation). Every backbone is also checked by the registry contract test."""
import pytest
import torch

from vidreg.models.backbones import ResNet2D, TinyConv2D


@pytest.mark.parametrize('cls,kwargs,key', [
    (ResNet2D, dict(depth=18), 'conv1.weight'),
    (TinyConv2D, dict(channels=(4, 8)), 'layers.0.weight'),
])
def test_flow_stack_backbone_starts_from_rgb_filters(tmp_path, cls, kwargs, key):
    torch.manual_seed(0)
    rgb = cls(**kwargs)
    path = tmp_path / 'rgb.pth'
    torch.save(rgb.state_dict(), path)
    flow = cls(**kwargs, in_channels=10, pretrained=str(path))  # L = 5 flow fields
    flow.init_weights()
    weight = flow.state_dict()[key]
    expected = rgb.state_dict()[key].mean(dim=1, keepdim=True).expand(-1, 10, -1, -1)
    torch.testing.assert_close(weight, expected)
    # every other tensor is the checkpoint's
    other = next(k for k in rgb.state_dict() if k != key and k.endswith('weight'))
    torch.testing.assert_close(flow.state_dict()[other], rgb.state_dict()[other])
    out = flow(torch.randn(2, 10, 1, 32, 32))  # (B, 2L, T=1, H, W)
    assert out.shape[:3] == (2, flow.out_channels, 1)


def test_checkpoint_with_the_right_channels_loads_unchanged(tmp_path):
    torch.manual_seed(0)
    gray = ResNet2D(depth=18, in_channels=1)
    torch.save(gray.state_dict(), tmp_path / 'gray.pth')
    other = ResNet2D(depth=18, in_channels=1, pretrained=str(tmp_path / 'gray.pth'))
    other.init_weights()
    torch.testing.assert_close(other.conv1.weight, gray.conv1.weight)


def test_3d_backbone_on_flow_fields_inflates_averaged_rgb_filters(tmp_path):
    """ResNet3D(in_channels=2) reads (B, 2, T, H, W) flow; an inflated 2D RGB conv1 is averaged
    over colour first (then inflated: the centre time slice)."""
    from vidreg.models.backbones import ResNet3D
    torch.manual_seed(0)
    rgb = ResNet2D(depth=18)
    torch.save(rgb.state_dict(), tmp_path / 'rgb2d.pth')
    flow = ResNet3D(depth=18, in_channels=2, pretrained_2d=str(tmp_path / 'rgb2d.pth'))
    flow.init_weights()
    centre = flow.conv1.weight[:, :, flow.conv1.weight.shape[2] // 2]  # (O, 2, 7, 7)
    torch.testing.assert_close(centre, rgb.conv1.weight.mean(1, keepdim=True).expand(-1, 2, -1,
                                                                                     -1))
    out = flow(torch.randn(2, 2, 4, 32, 32))
    assert out.shape[:2] == (2, flow.out_channels)


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    (tmp_path / 'hub' / 'checkpoints').mkdir(parents=True)
    return tmp_path / 'hub' / 'checkpoints'


def test_r2plus1d_flow_stream_from_cached_torchvision_weights(torch_home):
    """R(2+1)D's stem is a 1x7x7 conv to 45 channels, then a 3x1x1 one: only the first takes
    the 2 flow channels; torchvision's Kinetics weights (read by name from the local cache)
    are averaged over colour there and loaded unchanged everywhere else."""
    from torchvision.models.video import R2Plus1D_18_Weights, r2plus1d_18

    from vidreg.models.backbones import VideoResNet
    torch.manual_seed(0)
    with torch.device('meta'):
        flow = VideoResNet(arch='r2plus1d', in_channels=2, pretrained='KINETICS400_V1')
    flow = flow.to_empty(device='cpu')
    reference = r2plus1d_18().state_dict()  # torchvision's layout, fc included
    url = R2Plus1D_18_Weights.KINETICS400_V1.url
    torch.save(reference, torch_home / url.rsplit('/', 1)[-1])  # where torchvision caches it
    flow.init_weights()
    assert flow.stem[0].weight.shape == (45, 2, 1, 7, 7) and flow.stem[3].weight.shape[1] == 45
    torch.testing.assert_close(flow.stem[0].weight,
                               reference['stem.0.weight'].mean(1, keepdim=True).expand(-1, 2, -1,
                                                                                       -1, -1))
    torch.testing.assert_close(flow.stem[3].weight, reference['stem.3.weight'])
    torch.testing.assert_close(flow.layer4[1].conv2[0][3].weight,
                               reference['layer4.1.conv2.0.3.weight'])
    out = flow.eval()(torch.randn(1, 2, 4, 32, 32))  # (B, 2, T, H, W) flow fields
    assert out.shape == (1, 512, 1, 2, 2)
