"""TSN's multi-scale crop: window sides from a few scales of the short side, fixed offsets."""
from typing import Literal, Sequence

import numpy as np

from vidreg.registry import TRANSFORMS

from ._resized_crop import ResizedCrop
from ._spatial import SizeLike

# Offsets on a 4x4 grid of steps ((W - w) / 4, (H - h) / 4), as (x, y) step counts.
_FIVE = ((0, 0), (4, 0), (0, 4), (4, 4), (2, 2))  # corners and centre
_THIRTEEN = _FIVE + ((0, 2), (4, 2), (2, 4), (2, 0), (1, 1), (3, 1), (1, 3), (3, 3))


@TRANSFORMS.register_module()
class MultiScaleCrop(ResizedCrop):
    """Crop a window whose sides are scales of the short side, then resize it to ``size``.

    The TSN / TSM training recipe: with ``base = min(H, W)``, the window's
    width and height are each ``base * s`` for ``s`` in ``scales``, picked
    uniformly among the pairs whose scale indices differ by at most
    ``max_wh_scale_gap`` (so the aspect ratio stays near 1). The window sits
    at one of ``num_fixed_offsets`` (5: corners and centre; 13: also edge
    midpoints and the quarter points) or, with ``random_offset``, anywhere.
    One window per clip. In test mode: the central ``scales[0]`` square.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each, one ``(H, W)``),
    ``test_mode`` (optional).

    Modified keys: ``keys`` (``(N, C, h, w)`` with ``(w, h) = size``), ``img_shape``.

    Args:
        size: Output ``int`` (square) or ``(w, h)``.
        scales: Window sides as fractions of the short side, in ``(0, 1]``;
            the first is the test-mode scale.
        max_wh_scale_gap: Largest difference between the width's and the
            height's scale index.
        random_offset: Place the window uniformly instead of at fixed offsets.
        num_fixed_offsets: 5 or 13.
        interpolation: ``'bilinear'``, ``'bicubic'`` or ``'nearest'``.
        antialias: As in :class:`Resize`.
        keys: The frame arrays to crop, all with one window, e.g. ``('imgs', 'flow')``.
    """

    def __init__(self, *, size: SizeLike, scales: Sequence[float] = (1, 0.875, 0.75, 0.66),
                 max_wh_scale_gap: int = 1, random_offset: bool = False,
                 num_fixed_offsets: Literal[5, 13] = 5,
                 interpolation: Literal['bilinear', 'bicubic', 'nearest'] = 'bilinear',
                 antialias: bool = True, keys: Sequence[str] = ('imgs',)) -> None:
        super().__init__(size, interpolation, antialias, keys)
        if not scales or not all(0 < s <= 1 for s in scales):
            raise ValueError(f'scales must be fractions in (0, 1], got {scales!r}')
        if max_wh_scale_gap < 0:
            raise ValueError(f'max_wh_scale_gap must be >= 0, got {max_wh_scale_gap!r}')
        if num_fixed_offsets not in (5, 13):
            raise ValueError(f'num_fixed_offsets must be 5 or 13, got {num_fixed_offsets!r}')
        self.scales = tuple(float(s) for s in scales)
        self.max_wh_scale_gap = int(max_wh_scale_gap)
        self.random_offset = bool(random_offset)
        self.num_fixed_offsets = num_fixed_offsets
        self._pairs = [(i, j) for i in range(len(self.scales)) for j in range(len(self.scales))
                       if abs(i - j) <= self.max_wh_scale_gap]  # (width, height) scale indices

    def window(self, img_h: int, img_w: int, test_mode: bool = False
               ) -> tuple[int, int, int, int]:
        base = min(img_h, img_w)
        if test_mode:
            side = max(1, int(base * self.scales[0]))
            return (img_h - side) // 2, (img_w - side) // 2, side, side
        width_index, height_index = self._pairs[np.random.randint(len(self._pairs))]
        width = max(1, int(base * self.scales[width_index]))
        height = max(1, int(base * self.scales[height_index]))
        if self.random_offset:
            return (np.random.randint(0, img_h - height + 1),
                    np.random.randint(0, img_w - width + 1), height, width)
        offsets = _FIVE if self.num_fixed_offsets == 5 else _THIRTEEN
        x_steps, y_steps = offsets[np.random.randint(len(offsets))]
        return (y_steps * (img_h - height) // 4, x_steps * (img_w - width) // 4, height, width)
