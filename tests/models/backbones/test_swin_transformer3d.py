"""SwinTransformer3D: torchvision's parameters and names for T/S/B, channels-first stages."""
import pytest
import torch
import torchvision.models.video as tv

from vidreg.models.backbones import SwinTransformer3D


@pytest.mark.parametrize('arch, builder, published', [
    ('t', tv.swin3d_t, 28_158_070), ('s', tv.swin3d_s, 49_816_678), ('b', tv.swin3d_b, 88_048_984)])
def test_torchvision_names_and_published_size(arch, builder, published):
    with torch.device('meta'):
        ours, theirs = SwinTransformer3D(arch=arch), builder()
    shapes = {k: tuple(v.shape) for k, v in theirs.state_dict().items()
              if not k.startswith('head.')}
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == shapes
    head = ours.out_channels * 400 + 400
    assert sum(p.numel() for p in ours.parameters()) + head == published


def test_stages_are_channels_first_and_sizes_round_up():
    stages = ('patch_embed', 'stage1', 'stage2', 'stage3', 'stage4')
    model = SwinTransformer3D(embed_dim=8, depths=(1, 1, 1, 1), num_heads=(1, 1, 2, 2),
                              out_stages=stages).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 3, 36, 36))  # padded to 4 x 40 x 40
    assert [tuple(v.shape) for v in out.values()] == [
        (1, 8, 2, 9, 9), (1, 8, 2, 9, 9), (1, 16, 2, 5, 5), (1, 32, 2, 3, 3), (1, 64, 2, 2, 2)]
