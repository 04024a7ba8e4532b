"""VideoDataPreprocessor: permute and normalise each input with the statistics its pipeline
declares; configs only override the RGB frames' (a backbone's pretrained statistics)."""
import pytest
import torch

from vidreg.models.data_preprocessors import VideoDataPreprocessor
from vidreg.pipeline import FLOW_FIELDS, RGB_FRAMES, SG3I_IMAGES


def test_permutes_and_normalises_rgb_with_imagenet_statistics_by_default():
    pre = VideoDataPreprocessor()
    clips = torch.randint(0, 255, (2, 3, 4, 3, 8, 8), dtype=torch.uint8)  # (B, V, T, C, H, W)
    out = pre(dict(inputs=dict(imgs=clips), data_samples=None))['inputs']['imgs']
    assert out.shape == (2, 3, 3, 4, 8, 8) and out.dtype == torch.float32  # (B, V, C, T, H, W)
    expected = (clips[1, 2, 3, 1].float() - RGB_FRAMES.mean[1]) / RGB_FRAMES.std[1]
    assert torch.allclose(out[1, 2, 1, 3], expected)
    assert not pre.state_dict()  # statistics come from the pipeline, never from checkpoints


def test_rgb_statistics_of_pretrained_weights_bgr_and_mean_only():
    kinetics = VideoDataPreprocessor(mean=(10, 20, 30), std=(2, 4, 5))
    clips = torch.randint(0, 255, (1, 1, 2, 3, 4, 4), dtype=torch.uint8)
    out = kinetics(dict(inputs=dict(imgs=clips)))['inputs']['imgs']
    assert torch.allclose(out[0, 0, 1, 1], (clips[0, 0, 1, 1].float() - 20) / 4)
    c3d = VideoDataPreprocessor(mean=(1, 2, 3), std=(1, 1, 1), channel_order='bgr')
    clips = torch.zeros(1, 1, 2, 3, 4, 4, dtype=torch.uint8)
    clips[:, :, :, 0] = 100  # red channel
    out = c3d(dict(inputs=dict(imgs=clips)))['inputs']['imgs']
    # Red moves last and mean is given in BGR order (C3D convention): 100 - 3.
    assert torch.allclose(out[0, 0, 2], torch.full((2, 4, 4), 97.0))


def test_each_modality_gets_its_pipelines_statistics():
    flow_specs = dict(imgs=RGB_FRAMES, flow=FLOW_FIELDS, sg3i=SG3I_IMAGES)
    pre = VideoDataPreprocessor(modalities=flow_specs, mean=(10, 20, 30), std=(2, 4, 5))
    imgs = torch.randint(0, 255, (2, 1, 4, 3, 8, 8), dtype=torch.uint8)
    flow = torch.randint(0, 255, (2, 1, 6, 2, 8, 8), dtype=torch.uint8)
    sg3i = torch.randint(0, 255, (2, 1, 1, 3, 8, 8), dtype=torch.uint8)
    out = pre(dict(inputs=dict(imgs=imgs, flow=flow, sg3i=sg3i)))['inputs']
    assert out['imgs'].shape == (2, 1, 3, 4, 8, 8) and out['flow'].shape == (2, 1, 2, 6, 8, 8)
    assert torch.allclose(out['imgs'][1, 0, 2, 3], (imgs[1, 0, 3, 2].float() - 30) / 5)  # given
    assert torch.allclose(out['flow'][0, 0, 1, 5], (flow[0, 0, 5, 1].float() - 127.5) / 127.5)
    assert torch.allclose(out['sg3i'][0, 0, 2, 0], (sg3i[0, 0, 0, 2].float() - 117.0) / 57.4)


def test_wrong_inputs_and_stated_statistics_are_explained():
    pre = VideoDataPreprocessor()
    with pytest.raises(ValueError, match='2 channels'):
        pre(dict(inputs=dict(imgs=torch.zeros(1, 1, 2, 2, 4, 4, dtype=torch.uint8))))
    with pytest.raises(ValueError, match=r'\(B, V, T, C, H, W\)'):
        pre(dict(inputs=dict(imgs=torch.zeros(1, 2, 3, 4, 4, dtype=torch.uint8))))
    with pytest.raises(ValueError, match=r"\['flow'\] have no statistics.*build_model"):
        pre(dict(inputs=dict(flow=torch.zeros(1, 1, 2, 2, 4, 4, dtype=torch.uint8))))
    with pytest.raises(TypeError, match='drop data_preprocessor.modalities'):
        VideoDataPreprocessor(modalities=dict(flow=dict(mean=(1, 2), std=(1, 1))))
    with pytest.raises(ValueError, match='statistics of RGB frames'):
        VideoDataPreprocessor(modalities=dict(flow=FLOW_FIELDS), mean=(1, 2))
    with pytest.raises(ValueError, match='3 channels'):
        VideoDataPreprocessor(mean=(1, 2))
