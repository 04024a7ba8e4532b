"""Convert the clip to grayscale."""
from typing import Literal

import numpy as np
import torchvision.transforms.v2.functional as F
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS

from ._spatial import set_imgs


@TRANSFORMS.register_module()
class Grayscale(BaseTransform):
    """Convert RGB frames to luma (ITU-R 601-2: 0.299 R + 0.587 G + 0.114 B).

    With ``prob`` < 1 it is a random augmentation (one draw per clip) and
    does nothing in test mode; with ``prob`` = 1 it always applies (a
    grayscale model needs it in train and test pipelines alike).

    Required keys: ``imgs`` (uint8 ``(N, 3, H, W)``), ``test_mode`` (optional).

    Modified keys: ``imgs`` (uint8 ``(N, num_output_channels, H, W)``).

    Args:
        num_output_channels: 1, or 3 to keep the RGB layout (luma repeated).
        prob: Probability of converting, in ``[0, 1]``.
    """

    accepts_frame_map = True  # treats every frame alike (see DecodeFrames)

    def __init__(self, num_output_channels: Literal[1, 3] = 3, prob: float = 1.0) -> None:
        if num_output_channels not in (1, 3):
            raise ValueError(f'num_output_channels must be 1 or 3, got {num_output_channels!r}')
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob!r}')
        self.num_output_channels = num_output_channels
        self.prob = prob

    def transform(self, results: dict) -> dict:
        if self.prob < 1 and (results.get('test_mode', False) or np.random.rand() >= self.prob):
            return results
        imgs = F.rgb_to_grayscale(results['imgs'], self.num_output_channels)
        return set_imgs(results, imgs)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_output_channels={self.num_output_channels}, '
                f'prob={self.prob})')
