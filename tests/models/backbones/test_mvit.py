"""MViT: torchvision's parameters and names for v1-B and v2-S; other clip sizes."""
import pytest
import torch
import torchvision.models.video as tv

from vidreg.models.backbones import MViT


@pytest.mark.parametrize('arch, builder, published', [
    ('v1_b', tv.mvit_v1_b, 36_610_672), ('v2_s', tv.mvit_v2_s, 34_537_744)])
def test_torchvision_names_and_published_size(arch, builder, published):
    with torch.device('meta'):
        ours, theirs = MViT(arch=arch), builder()
    shapes = {k: tuple(v.shape) for k, v in theirs.state_dict().items()
              if not k.startswith('head.')}
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == shapes
    assert sum(p.numel() for p in ours.parameters()) + 768 * 400 + 400 == published


@pytest.mark.parametrize('arch', ['v1_b', 'v2_s'])
def test_other_clip_sizes_interpolate_and_odd_ones_are_refused(arch):
    torch.manual_seed(0)
    model = MViT(arch=arch, embed_dim=8, spatial_size=(32, 32), temporal_size=4,
                 output='patch_tokens').eval()
    with torch.no_grad():
        assert model(torch.randn(1, 3, 4, 32, 32)).shape == (1, 64, 2, 1, 1)  # built size
        assert model(torch.randn(1, 3, 8, 64, 96)).shape == (1, 64, 4, 2, 3)
        with pytest.raises(ValueError, match='multiples of 32 and T is even'):
            model(torch.randn(1, 3, 4, 40, 32))
