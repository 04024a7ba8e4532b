"""Horizontal flip of the whole clip."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class Flip(BaseTransform):
    """Mirror every frame of the clip left-right with probability ``prob``.

    One draw per clip: either all frames are flipped or none. In test mode
    (``results['test_mode']``) nothing is flipped.

    Required keys: ``imgs`` (uint8 ``(N, C, H, W)``), ``test_mode`` (optional).

    Added keys: ``flip`` (bool, whether the clip was flipped).

    Modified keys: ``imgs``.

    Args:
        prob: Probability of flipping, in ``[0, 1]``.
    """

    accepts_frame_map = True  # treats every frame alike (see DecodeFrames)

    def __init__(self, prob: float = 0.5) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob!r}')
        self.prob = prob

    def transform(self, results: dict) -> dict:
        flip = not results.get('test_mode', False) and np.random.rand() < self.prob
        if flip:
            results['imgs'] = torch.flip(results['imgs'], dims=(-1,))
        results['flip'] = bool(flip)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(prob={self.prob})'
