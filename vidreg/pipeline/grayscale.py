"""Convert the clip to grayscale."""
from typing import Literal

import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import set_imgs
from .modality import GRAY_FRAMES, Modalities
from .step import PipelineStep

# ITU-R 601-2 luma weights as torchvision writes them (its rgb_to_grayscale, which vidreg used).
_LUMA = (np.float32(0.2989), np.float32(0.587), np.float32(0.114))


def luma(imgs: np.ndarray) -> np.ndarray:
    """uint8 RGB frames ``(N, 3, H, W)`` -> uint8 luma ``(N, 1, H, W)``.

    float32 ``0.2989 R + 0.587 G + 0.114 B`` accumulated in that order and truncated,
    the arithmetic of torchvision's ``rgb_to_grayscale`` on uint8 (so models trained on
    its SG3I images see the same pixels).
    """
    rgb = imgs.astype(np.float32)
    gray = rgb[:, 0] * _LUMA[0]
    gray += rgb[:, 1] * _LUMA[1]
    gray += rgb[:, 2] * _LUMA[2]
    return gray.astype(np.uint8)[:, None]


@TRANSFORMS.register_module()
class Grayscale(PipelineStep):
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
        gray = luma(results['imgs'])  # (N, 1, H, W)
        if self.num_output_channels == 3:
            gray = np.repeat(gray, 3, axis=1)  # (N, 3, H, W)
        return set_imgs(results, gray)

    def modalities(self, specs: Modalities) -> Modalities:
        """``imgs``: one luma channel when ``num_output_channels`` is 1 (3: the RGB layout and
        statistics stay, for a network pretrained on colour)."""
        if self.num_output_channels == 1 and 'imgs' in specs:
            specs['imgs'] = GRAY_FRAMES.with_frames(specs['imgs'].frames)
        return specs
