"""Random erasing of a box of a clip, the same box in every frame (NumPy)."""
import math
from typing import Tuple, Union

import numpy as np

from vidreg.registry import TRANSFORMS

from .modality import Modalities
from .step import PipelineStep


def erase_box(height: int, width: int, scale: Tuple[float, float],
              ratio: Tuple[float, float]) -> Union[Tuple[int, int, int, int], None]:
    """A random box ``(top, left, h, w)`` of ``scale`` of the area and aspect ``ratio``
    (torchvision's ``RandomErasing.get_params``: 10 tries), or ``None``."""
    log_ratio = np.log(ratio)
    for _ in range(10):
        area = height * width * np.random.uniform(*scale)
        aspect = math.exp(np.random.uniform(*log_ratio))
        h, w = int(round(math.sqrt(area * aspect))), int(round(math.sqrt(area / aspect)))
        if 0 < h < height and 0 < w < width:
            return np.random.randint(height - h + 1), np.random.randint(width - w + 1), h, w
    return None


@TRANSFORMS.register_module()
class RandomErasing(PipelineStep):
    """Erase a random box of the clip with probability ``prob``: the same box, and the same
    fill, in every frame (Zhong et al., AAAI 2020; torchvision's ``RandomErasing``, on uint8
    frames before normalisation).

    Draws come from numpy's RNG, which the datasets seed per sample; in test mode nothing
    changes. RGB frames only (never flow fields).

    Required keys: ``imgs`` (uint8 ``(N, 3, H, W)`` RGB), ``test_mode`` (optional).

    Modified keys: ``imgs``.

    Args:
        prob: The chance that a clip is erased; 0 disables the step.
        scale: Range of the box's share of the frame area.
        ratio: Range of the box's aspect ratio (height / width).
        value: ``'random'``: uniform noise (one noise image for all frames); or a gray
            level 0..255.
    """

    accepts_frame_map = True  # treats every frame alike (see DecodeFrames)

    def __init__(self, *, prob: float = 0.25, scale: Tuple[float, float] = (0.02, 0.33),
                 ratio: Tuple[float, float] = (0.3, 3.3), value: Union[str, int] = 'random'
                 ) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'RandomErasing: prob must be in [0, 1], got {prob!r}')
        if not 0 < scale[0] <= scale[1] <= 1 or not 0 < ratio[0] <= ratio[1]:
            raise ValueError(f'RandomErasing: need 0 < scale[0] <= scale[1] <= 1 and 0 < '
                             f'ratio[0] <= ratio[1], got scale={scale}, ratio={ratio}')
        if value != 'random' and not (isinstance(value, int) and 0 <= value <= 255):
            raise ValueError(f"RandomErasing: value must be 'random' or a gray level 0..255, "
                             f'got {value!r}')
        self.prob, self.scale, self.ratio, self.value = prob, tuple(scale), tuple(ratio), value

    def modalities(self, specs: Modalities) -> Modalities:
        """Checks that ``imgs`` holds RGB frames."""
        if 'imgs' in specs and specs['imgs'].kind != 'rgb':
            raise ValueError(f"RandomErasing erases RGB frames, but 'imgs' holds "
                             f'{specs["imgs"].kind!r}; remove it from this pipeline.')
        return specs

    def transform(self, results: dict) -> dict:
        if results.get('test_mode', False) or self.prob == 0 or np.random.rand() >= self.prob:
            return results
        imgs = results['imgs']
        box = erase_box(*imgs.shape[2:], self.scale, self.ratio)
        if box is None:
            return results
        top, left, h, w = box
        fill = (np.random.randint(0, 256, (imgs.shape[1], h, w), dtype=np.uint8)
                if self.value == 'random' else self.value)
        erased = imgs.copy()
        erased[:, :, top:top + h, left:left + w] = fill  # the same fill in every frame
        results['imgs'] = erased
        return results
