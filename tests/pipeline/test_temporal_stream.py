"""SG3I, on-the-fly optical flow and frame stacking: the temporal-stream inputs of two-stream."""
import numpy as np
import pytest
import torch

from vidreg.pipeline import SG3I, Flip, FramesToChannels, OpticalFlow, RandomCrop
from vidreg.pipeline.flow import dequantize_flow, quantize_flow

SHIFT = (3, -2)  # (dx, dy) pixels: content moves right and up


def _translated_clip(size: int = 64, frames: int = 3) -> np.ndarray:
    """(T, 3, H, W) uint8 RGB: a smooth random texture moved by SHIFT each frame."""
    rng = np.random.default_rng(0)
    noise = rng.random((size // 4, size // 4)).astype(np.float32)
    import cv2
    base = cv2.resize(noise, (size * 2, size * 2), interpolation=cv2.INTER_CUBIC)
    base = cv2.GaussianBlur(base, (0, 0), 1.5)
    base = (255 * (base - base.min()) / (base.max() - base.min())).astype(np.uint8)
    out = []
    for t in range(frames):
        frame = np.roll(base, (SHIFT[1] * t, SHIFT[0] * t), axis=(0, 1))[size // 2:size // 2 + size,
                                                                         size // 2:size // 2 + size]
        out.append(np.stack([frame, frame // 2, 255 - frame], axis=0))  # colour, same motion
    return np.stack(out)


def _sample(imgs: np.ndarray, num_clips: int = 1) -> dict:
    return dict(imgs=imgs, num_clips=num_clips, num_frames=len(imgs) // num_clips,
                filename='synthetic.avi', img_shape=tuple(imgs.shape[-2:]))


@pytest.mark.parametrize('method,preset', [('dis', 'ultrafast'), ('dis', 'fast'),
                                           ('dis', 'medium'), ('farneback', 'fast')])
def test_flow_recovers_a_known_translation(method, preset):
    results = OpticalFlow(method=method, preset=preset)(_sample(_translated_clip()))
    flow = results['flow']
    assert flow.dtype == np.uint8 and flow.shape == (2, 2, 64, 64)  # T - 1 pairs, x/y
    field = dequantize_flow(flow)[:, :, 12:-12, 12:-12]  # interior, away from borders
    dx, dy = np.median(field[:, 0]), np.median(field[:, 1])
    assert abs(dx - SHIFT[0]) < 0.5 and abs(dy - SHIFT[1]) < 0.5, (method, preset, dx, dy)


def test_flow_is_stored_as_flow_images():
    """On the fly and extracted flow give the same levels: the flow_images quantisation."""
    transform = OpticalFlow(method='dis', preset='ultrafast', bound=20)
    clip = _translated_clip(frames=2)
    import cv2
    grays = [cv2.cvtColor(np.ascontiguousarray(f.transpose(1, 2, 0)), cv2.COLOR_RGB2GRAY)
             for f in clip]
    expected = quantize_flow(transform.flow(*grays).transpose(2, 0, 1), 20)
    np.testing.assert_array_equal(transform(_sample(clip))['flow'][0], expected)


def test_flow_pairs_stay_inside_each_clip_and_follow_frame_map():
    clip = _translated_clip(frames=3)
    two_clips = np.concatenate([clip, clip[::-1]])  # clip 2 runs backwards
    results = OpticalFlow(preset='ultrafast')(_sample(two_clips, num_clips=2))
    field = dequantize_flow(results['flow'])[:, :, 12:-12, 12:-12]
    medians = np.median(field[:, 0].reshape(4, -1), axis=1)
    np.testing.assert_allclose(medians, [3, 3, -3, -3], atol=0.5)
    # the same clips through a frame_map of shared frames give the same flow
    shared = _sample(clip, num_clips=2)
    shared['frame_map'] = np.array([0, 1, 2, 2, 1, 0])
    np.testing.assert_array_equal(OpticalFlow(preset='ultrafast')(shared)['flow'],
                                  results['flow'])


def test_flip_through_the_flow_pipeline_negates_x_of_flow_only():
    """Flow on the fly -> crop -> flip -> stack: the flipped sample has x negated and mirrored,
    y mirrored, and the RGB frames mirrored only."""
    clip = _translated_clip(frames=3)
    steps = [OpticalFlow(preset='ultrafast'), RandomCrop(crop_size=48, keys=('imgs', 'flow'))]
    plain, flipped = _sample(clip), _sample(clip.copy())
    np.random.seed(0)
    for step in steps:
        plain = step(plain)
    np.random.seed(0)
    for step in steps + [Flip(prob=1.0, keys=('imgs', 'flow'), flow_keys=('flow',))]:
        flipped = step(flipped)
    np.testing.assert_array_equal(flipped['imgs'], plain['imgs'][..., ::-1])
    np.testing.assert_array_equal(flipped['flow'][:, 0], 255 - plain['flow'][:, 0, :, ::-1])
    np.testing.assert_array_equal(flipped['flow'][:, 1], plain['flow'][:, 1, :, ::-1])
    stacked = FramesToChannels(keys=('flow',))(flipped)['flow']
    assert stacked.shape == (1, 4, 48, 48)  # x1, y1, x2, y2
    field = dequantize_flow(stacked)[0, :, 8:-8, 8:-8]
    np.testing.assert_allclose(np.median(field.reshape(4, -1), axis=1), [-3, -2, -3, -2],
                               atol=0.5)


def test_sg3i_stacks_rgb_luma_of_three_frames():
    clip = np.zeros((3, 3, 4, 4), dtype=np.uint8)
    clip[0, 0] = 255  # red: luma 0.299 * 255 = 76 (OpenCV's BGR weights on RGB would give 29)
    clip[1, 1] = 255  # green: 0.587 * 255 = 149 (truncated)
    clip[2, 2] = 255  # blue: 29
    images = SG3I()(_sample(np.concatenate([clip, clip[::-1]]), num_clips=2))['sg3i']
    assert images.shape == (2, 3, 4, 4)
    assert images[0, :, 0, 0].tolist() == [76, 149, 29]
    assert images[1, :, 0, 0].tolist() == [29, 149, 76]
    with pytest.raises(ValueError, match='num_frames=3'):
        SG3I()(_sample(clip[:2]))


def test_flow_fields_reach_a_3d_backbone_as_x_y_channels_over_time():
    """Without FramesToChannels, the flow of V clips is packed as T = L frames of 2 channels and
    normalised about 127.5 into (B, V, 2, L, H, W): channel 0 is x, channel 1 y, per field."""
    from vidreg.datasets import video_collate
    from vidreg.models.backbones import VideoResNet
    from vidreg.models.data_preprocessors import VideoDataPreprocessor
    from vidreg.pipeline import FLOW_FIELDS, RGB_FRAMES, PackVideoInputs
    clip = _translated_clip(frames=3)
    sample = _sample(np.concatenate([clip, clip[::-1]]), num_clips=2)  # clip 2 runs backwards
    sample = OpticalFlow(preset='ultrafast')(sample)
    packed = PackVideoInputs(keys=('imgs', 'flow'))(sample)
    assert packed['inputs']['flow'].shape == (2, 2, 2, 64, 64)  # (V, L, 2, H, W)
    preprocessor = VideoDataPreprocessor(modalities=dict(imgs=RGB_FRAMES, flow=FLOW_FIELDS))
    flow = preprocessor(video_collate([packed]))['inputs']['flow']
    assert flow.shape == (1, 2, 2, 2, 64, 64)  # (B, V, C = x/y, T = L, H, W)
    step = 2 * 20 / 255  # pixels per flow level at the default bound, 20
    medians = flow[0, :, :, :, 12:-12, 12:-12].flatten(3).median(dim=3).values * 127.5 * step
    expected = torch.tensor([[SHIFT[0]] * 2, [SHIFT[1]] * 2], dtype=torch.float32)  # (C, T), clip 1
    torch.testing.assert_close(medians, torch.stack([expected, -expected]), atol=0.5, rtol=0)
    backbone = VideoResNet(arch='r2plus1d', in_channels=2, base_channels=4).eval()
    assert backbone(flow.flatten(0, 1)).shape[:2] == (2, 32)  # views folded: (B * V, D, ...)
