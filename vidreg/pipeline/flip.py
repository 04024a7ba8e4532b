"""Horizontal flip of the whole clip (RGB frames and flow fields alike)."""
from collections.abc import Sequence
from typing import Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import FlowAware, SpatialTransform, check_flow_keys, hflip


@TRANSFORMS.register_module()
class Flip(FlowAware, SpatialTransform):
    """Mirror every frame of the sample left-right with probability ``prob``.

    One draw per sample: either all frames of all ``keys`` are flipped or
    none. The keys that hold flow fields, uint8 ``(N, 2, H, W)`` (x, y; the
    pipeline says which, see :class:`~vidreg.pipeline.ModalitySpec`), have their
    x component negated too, ``x -> 255 - x`` (exact under vidreg's flow
    quantisation, ``docs/architecture.md``). In test mode
    (``results['test_mode']``) nothing is flipped.

    Required keys: ``keys`` (uint8 ``(N, C, H, W)`` each), ``test_mode`` (optional).

    Added keys: ``flip`` (bool, whether the sample was flipped).

    Modified keys: ``keys``.

    Args:
        prob: Probability of flipping, in ``[0, 1]``.
        keys: The frame arrays to flip, e.g. ``('imgs', 'flow')``.
        flow_keys: The keys among ``keys`` that hold flow fields; ``None``: those the
            pipeline declares as flow (the keys of kind ``'flow'``). Give it only for a
            step used outside a pipeline.
    """

    def __init__(self, prob: float = 0.5, *, keys: Sequence[str] = ('imgs',),
                 flow_keys: Optional[Sequence[str]] = None) -> None:
        super().__init__(keys)
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob!r}')
        self.prob = prob
        self.flow_keys = check_flow_keys(flow_keys, self.keys)

    def transform(self, results: dict) -> dict:
        flip = not results.get('test_mode', False) and np.random.rand() < self.prob
        if flip:
            flow_keys = self.mirrored_flow_keys()
            self.apply(results, lambda imgs, key: hflip(imgs, key in flow_keys))
        results['flip'] = bool(flip)
        return results
