"""The flow-image quantisation: 256 levels symmetric about 127.5, so negation is 255 - q."""
import cv2
import numpy as np
import pytest

from vidreg.pipeline import OpticalFlow
from vidreg.pipeline.flow import dequantize_flow, quantize_flow, subtract_mean_flow


def test_flow_quantisation_makes_negation_exact():
    flow = np.linspace(-25, 25, 1001)
    levels = quantize_flow(flow, bound=20)
    assert levels.dtype == np.uint8 and levels.min() == 0 and levels.max() == 255
    assert np.abs(dequantize_flow(levels, 20) - np.clip(flow, -20, 20)).max() <= 20 / 255 + 1e-6
    np.testing.assert_array_equal(dequantize_flow(255 - levels, 20), -dequantize_flow(levels, 20))
    steps = flow / (40 / 255)
    inner = (np.abs(flow) < 19.9) & (np.abs(steps - np.round(steps)) > 1e-6)  # off level edges
    np.testing.assert_array_equal(quantize_flow(-flow, 20)[inner], 255 - levels[inner])


def test_bound_must_be_positive():
    with pytest.raises(ValueError, match='bound'):
        quantize_flow(np.zeros(2), bound=0)


def test_mean_flow_subtraction_removes_a_camera_pan_and_keeps_relative_motion():
    rng = np.random.default_rng(0)
    scene = cv2.GaussianBlur(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8), (5, 5), 0)
    pan = np.roll(scene, 3, axis=1)  # the camera pans: everything moves 3 px right
    frames = np.stack([scene, pan])  # (T, H, W, 3)
    step = OpticalFlow(method='farneback')
    flow = dequantize_flow(step.transform(_sample(frames))['flow'])
    compensated = OpticalFlow(method='farneback', subtract_mean=True)
    flow_comp = dequantize_flow(compensated.transform(_sample(frames))['flow'])
    inner = (slice(None), slice(None), slice(8, -8), slice(8, -8))  # away from the wrap
    assert abs(flow[inner][:, 0].mean() - 3) < 0.5  # x: the pan
    assert abs(flow_comp[inner][:, 0].mean()) < 0.3 and abs(flow_comp[:, 1].mean()) < 0.3
    field = np.stack([np.full((4, 4), 2.0), np.arange(16.0).reshape(4, 4)])  # (2, H, W)
    np.testing.assert_allclose(subtract_mean_flow(field)[0], 0)
    np.testing.assert_allclose(subtract_mean_flow(field)[1], field[1] - 7.5)


def _sample(frames: np.ndarray) -> dict:
    """One clip of RGB frames (T, H, W, 3) as the pipeline holds it."""
    return dict(imgs=np.ascontiguousarray(frames.transpose(0, 3, 1, 2)), num_clips=1)
