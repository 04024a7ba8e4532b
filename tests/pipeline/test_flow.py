"""The flow-image quantisation: 256 levels symmetric about 127.5, so negation is 255 - q."""
import numpy as np
import pytest

from vidreg.pipeline.flow import dequantize_flow, quantize_flow


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
