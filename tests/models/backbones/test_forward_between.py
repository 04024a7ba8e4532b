"""BaseBackbone.forward_between: a split trunk equals the whole forward on every staged backbone."""
import pytest
import torch

from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS, tiny_clip
from vidreg.utils import register_all_modules

register_all_modules()


@pytest.mark.parametrize('name', ['ResNet2D', 'ResNet3D', 'VideoResNet'])
def test_split_at_layer3_equals_forward(name):
    torch.manual_seed(0)
    model = MODELS.build(dict(type=name, **TINY_KWARGS[name])).eval()
    clips = tiny_clip(batch=2, frames=4, size=32)
    with torch.no_grad():
        whole = model(clips)
        mid = model.forward_between(clips, until='layer3')
        staged = MODELS.build(dict(type=name, **TINY_KWARGS[name], out_stages=('layer3',)))
        staged.load_state_dict(model.state_dict())
        assert torch.equal(mid, staged.eval()(clips)['layer3'])  # the out_stages layout
        assert torch.allclose(model.forward_between(mid, after='layer3'), whole, atol=1e-6)
    with pytest.raises(ValueError, match='unknown stage'):
        model.forward_between(clips, until='layer9')
