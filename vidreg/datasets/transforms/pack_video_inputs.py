"""Pack the clip tensor and the sample's record for the model."""
from collections.abc import Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS
from vidreg.structures import VideoDataSample

from ._spatial import gather_frames


@TRANSFORMS.register_module()
class PackVideoInputs(BaseTransform):
    """Reshape ``imgs`` into views and build the :class:`VideoDataSample`.

    ``imgs`` holds ``num_crops`` blocks (crop-major), each of ``num_clips``
    clips of ``clip_len`` frames; they become V = num_crops * num_clips views
    of T = clip_len frames. The V dimension is always present (V = 1 in
    training). With a ``frame_map`` (see :class:`DecodeFrames`), ``imgs``
    holds distinct frames and ``frame_map`` lists the one shown at each of
    the V * T positions; they are gathered here, in one copy that keeps the
    channels-last memory.

    Required keys: ``imgs`` (uint8 ``(V * T, C, H, W)``, or ``(M, C, H, W)``
    with ``frame_map`` int64 ``(V * T,)``), ``filename``,
    ``sample_idx`` (optional), ``num_clips``, ``clip_len``, ``num_crops``
    (optional, default 1), ``label`` and ``task`` (optional; ``task`` is
    required when ``label`` is present).

    Returns a new dict with:
        inputs: uint8 ``(V, T, C, H, W)``; without ``frame_map`` a view of
            ``imgs`` (no copy). Frames usually stay stored channels-last,
            ``(H, W, C)`` in memory, as decoded.
        data_samples: a ``VideoDataSample`` with ``gt_label`` (when ``label``
            is given) and metainfo ``path`` (= ``filename``), ``sample_idx``,
            ``num_views`` (= V), ``truncated_frames`` (``(header count, real count)``,
            only for a truncated video, see :class:`DecodeFrames`), plus ``meta_keys``.

    Args:
        meta_keys: Further keys of ``results`` copied into the metainfo when
            present, e.g. ``('img_shape', 'total_frames')``.
    """

    accepts_frame_map = True  # applies frame_map itself (see DecodeFrames)

    def __init__(self, meta_keys: Sequence[str] = ()) -> None:
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        imgs = results['imgs']
        frame_map = results.get('frame_map')
        if frame_map is not None:
            imgs = gather_frames(imgs, np.asarray(frame_map))  # (N, C, H, W), channels-last
        num_frames = imgs.shape[0]
        clip_len = results.get('clip_len', num_frames)
        num_views = results.get('num_crops', 1) * results.get('num_clips', 1)
        if num_views * clip_len != num_frames:
            raise ValueError(
                f'PackVideoInputs: {num_frames} frames cannot be {num_views} views x {clip_len} '
                f"frames (num_crops x num_clips x clip_len) for {results.get('filename')!r}.")
        inputs = imgs.reshape(num_views, clip_len, *imgs.shape[1:])  # (V, T, C, H, W)

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
        return dict(inputs=inputs, data_samples=data_sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(meta_keys={self.meta_keys})'
