"""A torchvision video classifier converted by tools/convert_weights.py --from torchvision is a
complete checkpoint whose model gives torchvision's logits (random weights and BatchNorm
statistics; reduced widths where torchvision's class takes them, full width otherwise)."""
import pytest
import torch
import torchvision.models.video as tv
from torch import nn
from torchvision.models.video.mvit import MViT as TorchvisionMViT
from torchvision.models.video.swin_transformer import SwinTransformer3d

from vidreg.apis.init_model import init_model
from vidreg.models.backbones.mvit import _block_setting
from vidreg.weights import convert_weights

NUM_CLASSES = 5


def _swin() -> nn.Module:
    return SwinTransformer3d(patch_size=[2, 4, 4], embed_dim=8, depths=[1, 1, 2, 1],
                             num_heads=[1, 1, 2, 2], window_size=[8, 7, 7],
                             num_classes=NUM_CLASSES)


def _mvit(arch: str) -> nn.Module:
    v2 = arch == 'v2_s'
    return TorchvisionMViT(spatial_size=(32, 32), temporal_size=4,
                           block_setting=_block_setting(arch, 8), residual_pool=v2,
                           residual_with_cls_embed=False, rel_pos_embed=v2,
                           proj_after_attn=v2, num_classes=NUM_CLASSES)


# name -> (torchvision model, the backbone config the converter infers, input T)
CASES = {
    'mc3_18': (lambda: tv.mc3_18(num_classes=NUM_CLASSES),
               dict(type='VideoResNet', arch='mc3', depth=18, base_channels=64), 4),
    's3d': (lambda: tv.s3d(num_classes=NUM_CLASSES),
            dict(type='S3D', avg_pool_kernel=(2, 7, 7)), 9),
    'swin3d': (_swin, dict(type='SwinTransformer3D', embed_dim=8, depths=(1, 1, 2, 1),
                           num_heads=(1, 1, 2, 2)), 4),
    'mvit_v1_b': (lambda: _mvit('v1_b'), dict(type='MViT', arch='v1_b', embed_dim=8,
                                              spatial_size=(32, 32), temporal_size=4), 4),
    'mvit_v2_s': (lambda: _mvit('v2_s'), dict(type='MViT', arch='v2_s', embed_dim=8,
                                              spatial_size=(32, 32), temporal_size=4), 4),
}


def _randomise(model: nn.Module) -> nn.Module:
    """Random weights everywhere, random BatchNorm statistics, eval mode."""
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for tensor in model.state_dict().values():
            if tensor.is_floating_point():
                tensor.copy_(torch.rand(tensor.shape, generator=generator) * 0.4 - 0.2)
        for module in model.modules():
            if isinstance(module, nn.BatchNorm3d):
                module.running_var.uniform_(0.5, 2.0, generator=generator)
    return model.eval()


@pytest.mark.parametrize('name', CASES)
def test_converted_model_gives_torchvision_logits(name, tmp_path, capsys):
    make, backbone, frames = CASES[name]
    torch.manual_seed(0)
    source = _randomise(make())
    torch.save(source.state_dict(), tmp_path / 'source.pth')
    converted = convert_weights(str(tmp_path / 'source.pth'), str(tmp_path / 'vidreg.pth'),
                                'torchvision')
    assert converted.backbone == backbone and converted.complete
    assert not converted.missing and not converted.unexpected
    model = init_model(str(tmp_path / 'vidreg.pth'))  # built from the checkpoint alone
    if name == 's3d':  # its (2, 7, 7) pool needs 16x224x224 clips: both pool 1x1x1 here
        source.avgpool = model.backbone.avgpool = nn.AvgPool3d(1, stride=1)
    x = torch.randn(2, 3, frames, 32, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = source(x)
        logits = model({'imgs': x[:, None]}, mode='tensor')  # (B, V=1, C, T, H, W) -> (B, K)
    assert logits.shape == (2, NUM_CLASSES)
    assert (logits - expected).abs().max() <= 1e-4
