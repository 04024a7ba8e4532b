import pytest
import torch

from vidreg.models.data_preprocessors import VideoDataPreprocessor


def test_permutes_and_normalises():
    pre = VideoDataPreprocessor(mean=(10, 20, 30), std=(2, 4, 5))
    clips = torch.randint(0, 255, (2, 3, 4, 3, 8, 8), dtype=torch.uint8)  # (B, V, T, C, H, W)
    out = pre(dict(inputs=clips, data_samples=None))['inputs']
    assert out.shape == (2, 3, 3, 4, 8, 8) and out.dtype == torch.float32  # (B, V, C, T, H, W)
    expected = (clips[1, 2, 3, 1].float() - 20) / 4  # view 2, frame 3, channel 1
    assert torch.allclose(out[1, 2, 1, 3], expected)


def test_bgr_and_mean_only():
    pre = VideoDataPreprocessor(mean=(1, 2, 3), std=None, channel_order='bgr')
    clips = torch.zeros(1, 1, 2, 3, 4, 4, dtype=torch.uint8)
    clips[:, :, :, 0] = 100  # red channel
    out = pre(dict(inputs=clips))['inputs']
    # Red moves last and mean is given in BGR order (C3D convention): 100 - 3.
    assert torch.allclose(out[0, 0, 2], torch.full((2, 4, 4), 97.0))


def test_wrong_channels_and_shape_are_explained():
    pre = VideoDataPreprocessor()
    with pytest.raises(ValueError, match='2 channels'):
        pre(dict(inputs=torch.zeros(1, 1, 2, 2, 4, 4, dtype=torch.uint8)))
    with pytest.raises(ValueError, match=r'\(B, V, T, C, H, W\)'):
        pre(dict(inputs=torch.zeros(1, 2, 3, 4, 4, dtype=torch.uint8)))
