"""MMAction2 I3D-R50 / SlowOnly-R50 / TSN-R50 checkpoints give MMAction2's logits in vidreg."""
import pytest
import torch

from tests.weights.zoo_fixtures import seeded_mmaction2_checkpoint, vidreg_logits
from vidreg.weights.mmaction2_resnet import (
    infer_mmaction2_resnet,
    is_mmaction2_resnet,
    split_mmaction2_resnet,
)


@pytest.mark.parametrize('name, backbone_type', [
    ('i3d', 'ResNet3D'), ('slowonly', 'ResNet3D'), ('tsn', 'ResNet2D')])
def test_logits_equal_mmaction2(name, backbone_type):
    checkpoint, clips, expected = seeded_mmaction2_checkpoint(name)
    assert is_mmaction2_resnet(checkpoint['state_dict'])
    backbone, head = split_mmaction2_resnet(checkpoint['state_dict'])
    cfg = infer_mmaction2_resnet(backbone)
    assert cfg['type'] == backbone_type
    logits = vidreg_logits(cfg, backbone, head, clips, skip_init=True)
    assert (logits - expected).abs().max() <= 1e-4


def test_i3d_and_slowonly_layouts_are_read_from_the_shapes():
    i3d = infer_mmaction2_resnet(split_mmaction2_resnet(
        seeded_mmaction2_checkpoint('i3d')[0]['state_dict'])[0])
    assert i3d['temporal_kernels'] == ((3, 3, 3), (3, 1, 3, 1), (3, 1, 3, 1, 3, 1), (1, 3, 1))
    assert i3d['conv1_kernel'] == (5, 7, 7) and i3d['pool2_kernel'] == (2, 1, 1)
    slowonly = infer_mmaction2_resnet(split_mmaction2_resnet(
        seeded_mmaction2_checkpoint('slowonly')[0]['state_dict'])[0])
    assert slowonly['temporal_kernels'] == ((1,) * 3, (1,) * 4, (3,) * 6, (3,) * 3)
    assert slowonly['pool2_kernel'] is None


def test_a_c3d_checkpoint_is_not_a_resnet():
    assert not is_mmaction2_resnet({'backbone.conv1a.conv.weight': torch.zeros(1)})
