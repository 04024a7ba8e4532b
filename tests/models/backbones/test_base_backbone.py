"""Shared stage mechanism: freezing, norm_eval, named stage outputs, on every staged backbone."""
import pytest
import torch

from vidreg.models.backbones import BaseBackbone
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS, tiny_clip

STAGED = ['C3D', 'ResNet2D', 'ResNet3D', 'VideoResNet']


def _build(name, **extra):
    return MODELS.build(dict(type=name, **TINY_KWARGS[name], **extra))


@pytest.mark.parametrize('name', STAGED)
def test_frozen_stages_and_norm_eval(name):
    model = _build(name)
    assert isinstance(model, BaseBackbone)
    stages = model._stages()
    model = _build(name, frozen_stages=1, norm_eval=True)
    model.train()
    stages = model._stages()
    frozen = [p for _, modules in stages[:2] for m in modules for p in m.parameters()]
    trainable = [p for _, modules in stages[2:] for m in modules for p in m.parameters()]
    assert frozen and all(not p.requires_grad for p in frozen)
    assert trainable and all(p.requires_grad for p in trainable)
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    assert all(not m.training for m in norms)
    with pytest.raises(ValueError, match='frozen_stages'):
        _build(name, frozen_stages=len(stages))


@pytest.mark.parametrize('name', STAGED)
def test_out_stages_return_named_features(name):
    model = _build(name).eval()
    names = model.stage_names
    wanted = (names[1], names[-2])
    staged = _build(name, out_stages=wanted).eval()
    staged.load_state_dict(model.state_dict())
    clip = tiny_clip()
    with torch.no_grad():
        outs = staged(clip)
        last = model(clip)
    assert list(outs) == list(wanted)
    assert all(v.dim() == 5 and v.shape[0] == 2 for v in outs.values())
    # The last stage alone equals the default output.
    last_only = _build(name, out_stages=(names[-1],)).eval()
    last_only.load_state_dict(model.state_dict())
    with torch.no_grad():
        assert torch.equal(last_only(clip)[names[-1]], last)
    with pytest.raises(ValueError, match='unknown out_stages'):
        _build(name, out_stages=('layer9',))
