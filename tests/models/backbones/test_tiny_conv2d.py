import torch

from vidreg.models.backbones import TinyConv2D
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS, tiny_clip


def test_shape_finite_backward_and_registry():
    model = MODELS.build(dict(type='TinyConv2D', **TINY_KWARGS['TinyConv2D']))
    assert model.out_channels == 8
    x = tiny_clip().requires_grad_()
    out = model(x)
    assert out.shape == (2, 8, 4, 8, 8) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None


def test_frames_are_independent_and_chunks_agree():
    torch.manual_seed(0)
    model = TinyConv2D(channels=(4, 8, 8)).eval()
    chunked = TinyConv2D(channels=(4, 8, 8), frame_chunk=3).eval()
    chunked.load_state_dict(model.state_dict())
    clip = tiny_clip()
    out = model(clip)
    assert out.shape == (2, 8, 4, 4, 4)
    torch.testing.assert_close(chunked(clip), out)
    torch.testing.assert_close(model(clip[:, :, 2:3]), out[:, :, 2:3])


def test_loads_its_own_checkpoint(tmp_path):
    torch.manual_seed(0)
    source = TinyConv2D(in_channels=2)
    torch.save(source.state_dict(), tmp_path / 'tiny.pth')
    model = TinyConv2D(in_channels=2, pretrained=str(tmp_path / 'tiny.pth'))
    assert not torch.equal(model.layers[0].weight, source.layers[0].weight)  # not yet read
    model.init_weights()
    torch.testing.assert_close(model.layers[0].weight, source.layers[0].weight)
