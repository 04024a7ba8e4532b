import pytest
import torch

from vidreg.models.data_preprocessors import VideoDataPreprocessor


def test_permutes_and_normalises():
    pre = VideoDataPreprocessor(mean=(10, 20, 30), std=(2, 4, 5))
    clips = torch.randint(0, 255, (2, 3, 4, 3, 8, 8), dtype=torch.uint8)  # (B, V, T, C, H, W)
    out = pre(dict(inputs=dict(imgs=clips), data_samples=None))['inputs']['imgs']
    assert out.shape == (2, 3, 3, 4, 8, 8) and out.dtype == torch.float32  # (B, V, C, T, H, W)
    expected = (clips[1, 2, 3, 1].float() - 20) / 4  # view 2, frame 3, channel 1
    assert torch.allclose(out[1, 2, 1, 3], expected)


def test_bgr_and_mean_only():
    pre = VideoDataPreprocessor(mean=(1, 2, 3), std=None, channel_order='bgr')
    clips = torch.zeros(1, 1, 2, 3, 4, 4, dtype=torch.uint8)
    clips[:, :, :, 0] = 100  # red channel
    out = pre(dict(inputs=dict(imgs=clips)))['inputs']['imgs']
    # Red moves last and mean is given in BGR order (C3D convention): 100 - 3.
    assert torch.allclose(out[0, 0, 2], torch.full((2, 4, 4), 97.0))


def test_wrong_channels_and_shape_are_explained():
    pre = VideoDataPreprocessor()
    with pytest.raises(ValueError, match='2 channels'):
        pre(dict(inputs=dict(imgs=torch.zeros(1, 1, 2, 2, 4, 4, dtype=torch.uint8))))
    with pytest.raises(ValueError, match=r'\(B, V, T, C, H, W\)'):
        pre(dict(inputs=dict(imgs=torch.zeros(1, 2, 3, 4, 4, dtype=torch.uint8))))


def test_modalities_are_normalised_with_their_own_statistics():
    pre = VideoDataPreprocessor(mean=(10, 20, 30), std=(2, 4, 5),
                                modalities=dict(flow=dict(mean=(128, 128), std=(64, 32))))
    imgs = torch.randint(0, 255, (2, 1, 4, 3, 8, 8), dtype=torch.uint8)
    flow = torch.randint(0, 255, (2, 1, 6, 2, 8, 8), dtype=torch.uint8)
    out = pre(dict(inputs=dict(imgs=imgs, flow=flow)))['inputs']
    assert out['imgs'].shape == (2, 1, 3, 4, 8, 8) and out['flow'].shape == (2, 1, 2, 6, 8, 8)
    assert torch.allclose(out['imgs'][1, 0, 2, 3], (imgs[1, 0, 3, 2].float() - 30) / 5)
    assert torch.allclose(out['flow'][0, 0, 1, 5], (flow[0, 0, 5, 1].float() - 128) / 32)
    assert not pre.state_dict()  # statistics come from the config, never from checkpoints
    with pytest.raises(ValueError, match=r"inputs\['flow'\] has 2 channels"):
        VideoDataPreprocessor()(dict(inputs=dict(flow=flow)))
    with pytest.raises(ValueError, match='unknown keys'):
        VideoDataPreprocessor(modalities=dict(flow=dict(mean=(1, 2), sdt=(1, 1))))
