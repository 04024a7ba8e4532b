"""Batching of packed samples."""
from typing import List, Sequence

import torch

from vidreg.registry import FUNCTIONS


@FUNCTIONS.register_module()
def video_collate(samples: Sequence[dict]) -> dict:
    """Stack clips into one uint8 tensor; keep data samples as a list.

    Args:
        samples: Outputs of ``PackVideoInputs``: ``inputs`` uint8 ``(V, T, C, H, W)``
            and ``data_samples``.

    Returns:
        ``inputs`` uint8 ``(B, V, T, C, H, W)`` (one pinned transfer to the device) and
        ``data_samples``, a list of B ``VideoDataSample``.
    """
    shapes = {tuple(s['inputs'].shape) for s in samples}
    if len(shapes) != 1:
        paths = [s['data_samples'].metainfo.get('path') for s in samples]
        raise ValueError(f'Clips of one batch differ in shape {sorted(shapes)} ({paths}); make the '
                         f'pipeline end with a fixed-size crop and a fixed number of frames.')
    inputs: torch.Tensor = torch.stack([s['inputs'] for s in samples])  # (B, V, T, C, H, W)
    data_samples: List = [s['data_samples'] for s in samples]
    return dict(inputs=inputs, data_samples=data_samples)
