"""ResNet3D: Kenshohara's layout, the seed's stride-1 res4 variant, 2D inflation."""
import pytest
import torch
import torchvision

from vidreg.models.backbones import ResNet3D
from vidreg.testing.tiny import tiny_clip


def test_kenshohara_names_and_shapes():
    with torch.device('meta'):
        model = ResNet3D(depth=50)
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert shapes['conv1.weight'] == (64, 3, 7, 7, 7)
    assert shapes['layer1.0.conv3.weight'] == (256, 64, 1, 1, 1)
    assert shapes['layer4.0.downsample.0.weight'] == (2048, 1024, 1, 1, 1)
    assert model.out_channels == 2048


def test_stride1_res4_variant_of_the_self_supervised_seed():
    model = ResNet3D(depth=50, base_channels=4, conv1_kernel=(1, 7, 7), pool1_kernel=(1, 3, 3),
                     pool1_stride=(1, 2, 2), temporal_kernels=(1, 1, 1, 3),
                     spatial_strides=(1, 2, 1, 2), temporal_strides=(1, 1, 1, 2),
                     out_stages=('layer3', 'layer4')).eval()
    outs = model(tiny_clip(frames=5, size=64))
    assert outs['layer3'].shape == (2, 64, 5, 8, 8)  # 4 * 4w channels, T kept, stride 8
    assert outs['layer4'].shape == (2, 128, 3, 4, 4)


def test_shortcut_a_has_no_parameters():
    model = ResNet3D(depth=18, base_channels=4, shortcut='A')
    assert not any('downsample' in k for k in model.state_dict())
    out = model(tiny_clip(frames=8))
    assert out.shape == (2, 32, 1, 1, 1) and torch.isfinite(out).all()


def test_inflated_2d_weights_give_the_2d_features_on_a_static_clip(tmp_path):
    torch.manual_seed(0)
    net2d = torchvision.models.resnet18().eval()
    path = tmp_path / 'r18.pth'
    torch.save(net2d.state_dict(), path)
    frame = torch.randn(1, 3, 32, 32)
    clip = frame.unsqueeze(2).repeat(1, 1, 3, 1, 1)  # a static clip, (1, 3, 3, 32, 32)
    with torch.no_grad():
        expected = net2d.layer4(net2d.layer3(net2d.layer2(net2d.layer1(
            net2d.maxpool(net2d.relu(net2d.bn1(net2d.conv1(frame))))))))  # (1, 512, 1, 1)
    for mode in ('center', 'mean'):
        # A 3x7x7 stem, then 2D stages: the middle frame sees only copies of itself.
        model = ResNet3D(depth=18, conv1_kernel=(3, 7, 7), pool1_kernel=(1, 3, 3),
                         pool1_stride=(1, 2, 2), temporal_strides=(1, 1, 1, 1),
                         temporal_kernels=(1, 1, 1, 1), pretrained_2d=str(path),
                         inflate_init=mode).eval()
        model.init_weights()
        if mode == 'center':
            assert torch.equal(model.conv1.weight[:, :, 1], net2d.conv1.weight)
            assert not model.conv1.weight[:, :, 0].any()
        with torch.no_grad():
            out = model(clip)[:, :, 1]  # (1, 512, 1, 1)
        assert (out - expected).abs().max().item() < 1e-4, mode


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='depth'):
        ResNet3D(depth=101)
    with pytest.raises(ValueError, match='spatial_strides'):
        ResNet3D(spatial_strides=(1, 2))


def test_mmaction2_i3d_layout_temporal_kernels_per_block_and_pool2():
    model = ResNet3D(depth=50, base_channels=4, conv1_kernel=(5, 7, 7), conv1_stride=(2, 2, 2),
                     pool1_kernel=(1, 3, 3), pool1_stride=(2, 2, 2), pool2_kernel=(2, 1, 1),
                     temporal_strides=(1, 1, 1, 1), temporal_conv='conv1',
                     temporal_kernels=((3, 3, 3), (3, 1, 3, 1), (3, 1, 3, 1, 3, 1), (1, 3, 1)))
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert shapes['layer2.1.conv1.weight'] == (8, 32, 1, 1, 1)  # not inflated
    assert shapes['layer2.2.conv1.weight'] == (8, 32, 3, 1, 1)  # inflated: 3x1x1
    assert shapes['layer2.2.conv2.weight'] == (8, 8, 1, 3, 3)
    out = model.eval()(tiny_clip(frames=8))
    assert out.shape == (2, 128, 1, 1, 1)  # T: /2 conv1, /2 pool1, /2 pool2


def test_per_block_kernels_must_match_the_blocks():
    with pytest.raises(ValueError, match=r'temporal_kernels\[1\] needs one value per block'):
        ResNet3D(depth=50, temporal_kernels=(3, (3, 1), 3, 3))
    with pytest.raises(ValueError, match="temporal_conv must be 'conv2', or 'conv1' with depth"):
        ResNet3D(depth=18, temporal_conv='conv1')
