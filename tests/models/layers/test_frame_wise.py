import pytest
import torch
from torch import nn

from vidreg.models.layers import frame_wise
from vidreg.testing.tiny import tiny_clip


def _conv() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 5, 3, stride=2, padding=1), nn.BatchNorm2d(5)).eval()


def test_matches_a_loop_over_frames():
    x = tiny_clip()  # (2, 3, 4, 32, 32)
    conv = _conv()
    out = frame_wise(conv, x)
    assert out.shape == (2, 5, 4, 16, 16)
    for b in range(2):
        for t in range(4):
            expected = conv(x[b:b + 1, :, t])[0]  # (5, 16, 16)
            torch.testing.assert_close(out[b, :, t], expected)


@pytest.mark.parametrize('frame_chunk', [1, 3, 8, 100])
def test_chunks_give_the_same_output(frame_chunk):
    x = tiny_clip()
    conv = _conv()
    torch.testing.assert_close(frame_wise(conv, x, frame_chunk=frame_chunk), frame_wise(conv, x))


def test_chunks_call_the_module_with_at_most_frame_chunk_images():
    sizes = []

    def record(images):
        sizes.append(images.shape[0])
        return images.mean(dim=(2, 3))  # (N, C)

    out = frame_wise(record, tiny_clip(), frame_chunk=3)
    assert sizes == [3, 3, 2]
    assert out.shape == (2, 3, 4)  # vector outputs come back as (B, D, T)


def test_backward_through_chunks():
    x = tiny_clip().requires_grad_()
    conv = _conv().train()
    out = frame_wise(conv, x, frame_chunk=4)
    assert out.shape == (2, 5, 4, 16, 16) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None and conv[0].weight.grad is not None


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match='B, C, T, H, W'):
        frame_wise(_conv(), torch.zeros(2, 3, 32, 32))
    with pytest.raises(ValueError, match='frame_chunk'):
        frame_wise(_conv(), tiny_clip(), frame_chunk=0)
