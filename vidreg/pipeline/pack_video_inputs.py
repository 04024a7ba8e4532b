"""Pack the clip tensor and the sample's record for the model."""
from collections.abc import Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from torch import Tensor

from vidreg.registry import TRANSFORMS
from vidreg.structures import VideoDataSample

from ._spatial import gather_frames

# The key DecodeFrames writes; the sampler's num_frames and DecodeFrames' frame_map describe it.
FRAMES_KEY = 'imgs'


@TRANSFORMS.register_module()
class PackVideoInputs(BaseTransform):
    """Reshape ``imgs`` (or several modalities) into views and build the :class:`VideoDataSample`.

    ``imgs`` holds ``num_crops`` blocks (crop-major), each of ``num_clips``
    clips of ``num_frames`` frames; they become V = num_crops * num_clips views
    of T = num_frames frames. The V dimension is always present (V = 1 in
    training). With a ``frame_map`` (see :class:`DecodeFrames`), ``imgs``
    holds distinct frames and ``frame_map`` lists the one shown at each of
    the V * T positions; they are gathered here, in one copy that keeps the
    channels-last memory.

    Required keys: ``imgs`` (uint8 ``(V * T, C, H, W)``, or ``(M, C, H, W)``
    with ``frame_map`` int64 ``(V * T,)``), ``filename``,
    ``sample_idx`` (optional), ``num_clips``, ``num_frames``, ``num_crops``
    (optional, default 1), ``label`` and ``task`` (optional; ``task`` is
    required when ``label`` is present); every key of ``keys``.

    With several ``keys`` (say ``('imgs', 'flow')``), each key holds uint8
    ``(V * T_k, C_k, H, W)`` in the same crop-major, clip-major order; T_k and
    C_k may differ between keys (e.g. 2-channel flow fields). ``frame_map``
    describes ``imgs`` only (it is what ``DecodeFrames`` writes beside it);
    other keys arrive laid out.

    Returns a new dict with:
        inputs: ``{key: uint8 (V, T_k, C_k, H, W)}``, one per key of ``keys``
            (``{'imgs': ...}`` by default). Without ``frame_map`` views of the
            frames (no copy). Frames usually stay stored
            channels-last, ``(H, W, C)`` in memory, as decoded.
        data_samples: a ``VideoDataSample`` with ``gt_label`` (when ``label``
            is given) and metainfo ``path`` (= ``filename``), ``sample_idx``,
            ``num_views`` (= V), ``truncated_frames`` (``(header count, real count)``,
            only for a truncated video, see :class:`DecodeFrames`), plus ``meta_keys``.

    Args:
        meta_keys: Further keys of ``results`` copied into the metainfo when
            present, e.g. ``('img_shape', 'total_frames')``.
        keys: The modalities packed into ``inputs`` (read by
            ``Recognizer(input_key=...)`` and normalised per key by
            ``VideoDataPreprocessor``).
    """

    accepts_frame_map = True  # applies frame_map itself (see DecodeFrames)

    def __init__(self, meta_keys: Sequence[str] = (), keys: Sequence[str] = ('imgs',)) -> None:
        self.meta_keys = tuple(meta_keys)
        self.keys = (keys,) if isinstance(keys, str) else tuple(keys)
        if not self.keys or len(set(self.keys)) != len(self.keys):
            raise ValueError(f'PackVideoInputs keys must be distinct and not empty, got {keys!r}')

    def transform(self, results: dict) -> dict:
        num_views = results.get('num_crops', 1) * results.get('num_clips', 1)
        packed = {key: self._views(results, key, num_views) for key in self.keys}

        data_sample = VideoDataSample()
        if 'label' in results:
            if 'task' not in results:
                raise KeyError("PackVideoInputs needs results['task'] ('classification' or "
                               "'regression') to pack a label.")
            data_sample.set_gt_label(results['label'], results['task'])
        metainfo = dict(path=results.get('filename'), sample_idx=results.get('sample_idx'),
                        num_views=num_views)
        if 'truncated_frames' in results:
            metainfo['truncated_frames'] = tuple(results['truncated_frames'])
        metainfo.update({key: results[key] for key in self.meta_keys if key in results})
        data_sample.set_metainfo(metainfo)
        return dict(inputs=packed, data_samples=data_sample)

    def _views(self, results: dict, key: str, num_views: int) -> Tensor:
        """``results[key]`` (V * T, C, H, W) -> (V, T, C, H, W)."""
        if key not in results:
            raise KeyError(f'PackVideoInputs: no {key!r} in the results of '
                           f"{results.get('filename')!r} (keys {sorted(results)}); a step before "
                           f'must produce every packed key {self.keys}.')
        frames = results[key]
        frame_map = results.get('frame_map') if key == FRAMES_KEY else None
        if frame_map is not None:
            frames = gather_frames(frames, np.asarray(frame_map))  # (N, C, H, W), channels-last
        num_positions = frames.shape[0]
        num_frames = results.get('num_frames', num_positions) if key == FRAMES_KEY else (
            num_positions // num_views)
        if num_views * num_frames != num_positions:
            raise ValueError(
                f'PackVideoInputs: {num_positions} frames of {key!r} cannot be {num_views} views '
                f'x {num_frames} frames (num_crops x num_clips x num_frames) for '
                f"{results.get('filename')!r}.")
        return frames.reshape(num_views, num_frames, *frames.shape[1:])  # (V, T, C, H, W)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(meta_keys={self.meta_keys}, keys={self.keys})'
