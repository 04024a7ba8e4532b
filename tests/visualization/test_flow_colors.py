import numpy as np
import pytest

from vidreg.visualization import flow_to_rgb


def test_direction_is_hue_and_speed_is_brightness():
    flow = np.zeros((2, 3, 2), np.float32)
    flow[0, 0] = (4, 0)  # right
    flow[0, 1] = (-4, 0)  # left
    flow[0, 2] = (2, 0)  # right, half as fast
    rgb = flow_to_rgb(flow).astype(int)
    assert rgb[0, 0].tolist() == [255, 0, 0]  # rightwards: red at full brightness
    assert rgb[0, 1, 0] == 0 and rgb[0, 1, 1] == rgb[0, 1, 2] == 255  # leftwards: cyan
    assert rgb[0, 2, 0] == 127 and rgb[0, 2, 1:].tolist() == [0, 0]  # half speed, half bright
    assert not rgb[1].any()  # still pixels are black
    assert not flow_to_rgb(np.zeros((2, 2, 2))).any()  # an all-still field too
    assert flow_to_rgb(flow, max_magnitude=2.0)[0, 2, 0] == 255  # a given scale saturates


def test_shape_is_checked():
    with pytest.raises(ValueError, match=r'\(H, W, 2\)'):
        flow_to_rgb(np.zeros((4, 4, 3)))
