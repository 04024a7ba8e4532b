"""SubtractMeanFlow: mean flow subtraction on stored flow levels, as OpticalFlow does it on
computed flow before quantising."""
import numpy as np
import pytest

from vidreg.pipeline import Compose, OpticalFlow, SubtractMeanFlow
from vidreg.pipeline.flow import dequantize_flow, quantize_flow


def test_a_pan_becomes_no_motion_and_relative_motion_stays():
    field = np.zeros((1, 2, 8, 8), np.float32)
    field[:, 0] = 3.0  # the camera pans right by 3 px
    field[:, 1] = -1.5
    field[0, 0, 2:4, 2:4] += 4.0  # an object moves 4 px more than the scene
    out = SubtractMeanFlow()(dict(flow=quantize_flow(field)))['flow']
    flow = dequantize_flow(out)
    mask = np.zeros((8, 8), bool)
    mask[2:4, 2:4] = True
    step = 40 / 255
    assert np.abs(flow[0, 0][~mask] - (-4.0 * 4 / 64)).max() <= step  # the scene: -mean of the bump
    assert np.abs(flow[0, 0][mask] - (4.0 - 4.0 * 4 / 64)).max() <= step
    assert np.abs(flow[0, 1]).max() <= step  # no relative y motion
    assert out.dtype == np.uint8 and out.shape == (1, 2, 8, 8)


def test_matches_computed_flow_with_subtract_mean_within_one_level():
    rng = np.random.default_rng(0)
    base = (rng.random((40, 48)) * 255).astype(np.uint8)
    base = np.repeat(np.repeat(base[::4, ::4], 4, 0), 4, 1)  # smooth texture, flow finds it
    frames = np.stack([np.roll(base, (t, 2 * t), axis=(0, 1)) for t in range(3)])  # a pan
    clip = np.repeat(frames[:, None], 3, axis=1)  # (T, 3, H, W)
    results = dict(imgs=clip, num_clips=1)
    plain = Compose([OpticalFlow()])(dict(results))['flow']
    subtracted = Compose([OpticalFlow(subtract_mean=True)])(dict(results))['flow']
    stored_then_subtracted = SubtractMeanFlow()(dict(flow=plain))['flow']
    assert np.abs(plain.astype(int) - 128).max() > 5  # the pan is there before
    assert np.abs(stored_then_subtracted.astype(int) - subtracted.astype(int)).max() <= 1


def test_only_flow_fields_are_taken():
    with pytest.raises(ValueError, match=r'\(N, 2, H, W\)'):
        SubtractMeanFlow(keys=('imgs',))(dict(imgs=np.zeros((2, 3, 4, 4), np.uint8)))
