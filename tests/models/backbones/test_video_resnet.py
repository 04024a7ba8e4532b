"""VideoResNet equals torchvision's r3d_18, mc3_18 and r2plus1d_18 in keys and outputs."""
import pytest
import torch
import torchvision.models.video as tv

from vidreg.models.backbones import VideoResNet
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS, tiny_clip

BUILDERS = {'r3d': tv.r3d_18, 'mc3': tv.mc3_18, 'r2plus1d': tv.r2plus1d_18}


def _randomise_bn(net: torch.nn.Module) -> None:
    """Non-trivial BN statistics and affine parameters, so loading them is checked too."""
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, torch.nn.BatchNorm3d):
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.1, 0.1)


@pytest.mark.parametrize('arch', ['r3d', 'mc3', 'r2plus1d'])
def test_torchvision_state_dict_loads_and_outputs_match(arch, tmp_path):
    torch.manual_seed(0)
    reference = BUILDERS[arch]().eval()
    _randomise_bn(reference)
    path = tmp_path / f'{arch}.pth'
    torch.save(reference.state_dict(), path)  # a torchvision checkpoint, fc included
    with torch.device('meta'):  # skip our own random init: every tensor is loaded below
        model = VideoResNet(arch=arch, pretrained=str(path))
    model = model.to_empty(device='cpu').eval()
    model.init_weights()
    own = set(model.state_dict())
    theirs = {k for k in reference.state_dict() if not k.startswith('fc.')}
    assert own == theirs  # zero missing, zero unexpected (besides torchvision's classifier)
    clip = tiny_clip(batch=1, frames=8)
    with torch.no_grad():
        expected = reference(clip)
        features = model(clip)  # (1, 512, T', H', W')
        ours = reference.fc(features.mean(dim=(2, 3, 4)))
    assert (ours - expected).abs().max().item() < 1e-5


def test_tiny_shapes_stages_backward():
    model = MODELS.build(dict(type='VideoResNet', **TINY_KWARGS['VideoResNet']))
    assert model.out_channels == 32
    x = tiny_clip(frames=8).requires_grad_()
    out = model(x)
    assert out.shape == (2, 32, 1, 2, 2) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None
    model = VideoResNet(arch='mc3', base_channels=4, out_stages=('stem', 'layer2', 'layer4'))
    stages = model(tiny_clip(frames=8))
    assert list(stages) == ['stem', 'layer2', 'layer4']
    assert stages['stem'].shape == (2, 4, 8, 16, 16)
    assert stages['layer2'].shape == (2, 8, 8, 8, 8)  # mc3 keeps T
    assert stages['layer4'].shape == (2, 32, 8, 2, 2)


def test_depth34_block_counts():
    model = VideoResNet(arch='r3d', depth=34, base_channels=4)
    assert [len(getattr(model, f'layer{i}')) for i in range(1, 5)] == [3, 4, 6, 3]
    with torch.device('meta'):  # shapes only: no memory, no initialisation
        reference = tv.VideoResNet(tv.resnet.BasicBlock, [tv.resnet.Conv2Plus1D] * 4,
                                   [3, 4, 6, 3], tv.resnet.R2Plus1dStem)
        ours = VideoResNet(arch='r2plus1d', depth=34)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: v.shape for k, v in reference.state_dict().items() if not k.startswith('fc.')}


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='arch'):
        VideoResNet(arch='i3d')
    with pytest.raises(ValueError, match='depth'):
        VideoResNet(depth=50)
    with pytest.raises(ValueError, match='drop_path'):
        VideoResNet(drop_path=1.0)


def test_drop_path_drops_residual_branches_in_training_only_and_keeps_the_keys():
    torch.manual_seed(0)
    plain = VideoResNet(arch='r3d', base_channels=4)
    dropping = VideoResNet(arch='r3d', base_channels=4, drop_path=0.5)
    assert plain.state_dict().keys() == dropping.state_dict().keys()
    dropping.load_state_dict(plain.state_dict())
    assert isinstance(dropping.layer1[0].drop_path, torch.nn.Identity)  # rate 0: first block
    assert dropping.layer4[1].drop_path.p == 0.5  # the last block's rate is drop_path
    x = torch.randn(4, 3, 2, 16, 16)
    plain.eval(), dropping.eval()
    assert torch.equal(plain(x), dropping(x))
    dropping.train()
    torch.manual_seed(1)
    first = dropping(x)
    assert not torch.equal(first, dropping(x))
