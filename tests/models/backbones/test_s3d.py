"""S3D: torchvision's parameters and names, stage shapes."""
import torch
import torchvision.models.video as tv

from vidreg.models.backbones import S3D


def _shapes(module: torch.nn.Module) -> dict:
    return {key: tuple(value.shape) for key, value in module.state_dict().items()}


def test_torchvision_names_and_published_size():
    with torch.device('meta'):
        ours, theirs = S3D(), tv.s3d()
    assert _shapes(ours) == {k: v for k, v in _shapes(theirs).items()
                             if not k.startswith('classifier.')}
    head = 1024 * 400 + 400  # torchvision's 1x1x1 classifier convolution
    assert sum(p.numel() for p in ours.parameters()) + head == 8_320_048  # torchvision's figure


def test_stages_and_torchvision_pool():
    model = S3D(avg_pool_kernel=(1, 2, 2), out_stages=('stem', 'mixed3', 'mixed4', 'mixed5',
                                                       'avgpool')).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 9, 64, 64))
    assert {k: tuple(v.shape) for k, v in out.items()} == {
        'stem': (1, 192, 5, 8, 8), 'mixed3': (1, 480, 5, 8, 8), 'mixed4': (1, 832, 3, 4, 4),
        'mixed5': (1, 1024, 1, 2, 2), 'avgpool': (1, 1024, 1, 1, 1)}
