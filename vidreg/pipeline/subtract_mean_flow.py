"""Mean flow subtraction on stored flow fields (flow images read from disk)."""
from typing import Sequence

import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import check_keys, set_imgs
from .step import PipelineStep


def subtract_mean_levels(levels: np.ndarray) -> np.ndarray:
    """uint8 flow fields ``(N, 2, H, W)`` minus each field's mean displacement, per component.

    On the quantised levels of :mod:`vidreg.pipeline.flow` (step ``s``, zero at 127.5) a
    field ``f = (q - 127.5) s`` minus its mean ``(mean(q) - 127.5) s`` requantises to
    ``clip(floor(q - mean(q) + 128), 0, 255)``: the same as subtracting before quantising,
    up to one level, where no value was clipped at the bound.
    """
    if levels.ndim != 4 or levels.shape[1] != 2:
        raise ValueError(f'flow fields are (N, 2, H, W) (x, y), got {tuple(levels.shape)}')
    values = levels.astype(np.float32)
    values -= values.mean(axis=(2, 3), keepdims=True)
    return np.clip(np.floor(values + 128), 0, 255).astype(np.uint8)


@TRANSFORMS.register_module()
class SubtractMeanFlow(PipelineStep):
    """Remove each flow field's mean displacement (x and y): camera motion such as a pan.

    Simonyan & Zisserman's mean flow subtraction, for flow read from images
    (``FlowFolderReader``); flow computed while loading does it before quantising instead
    (``OpticalFlow(subtract_mean=True)``), which this matches within one level. Put it
    where ``OpticalFlow`` sits in the computed-flow pipeline (after ``Resize``, before the
    crops, as in ``configs/twostream_r50_hmdb51_flow.py``), so the mean is taken over the
    same pixels.

    Required keys: ``keys`` (uint8 flow fields ``(N, 2, H, W)``).

    Modified keys: ``keys`` (same shape, stored channels-last).

    Args:
        keys: The flow fields, e.g. ``('flow',)``.
    """

    accepts_frame_map = True  # each field on its own (see DecodeFrames)

    def __init__(self, keys: Sequence[str] = ('flow',)) -> None:
        self.keys = check_keys(keys)

    def transform(self, results: dict) -> dict:
        for key in self.keys:
            fields = subtract_mean_levels(results[key])  # (N, 2, H, W)
            channels_last = np.ascontiguousarray(fields.transpose(0, 2, 3, 1))  # (N, H, W, 2)
            set_imgs(results, channels_last.transpose(0, 3, 1, 2), key)
        return results
