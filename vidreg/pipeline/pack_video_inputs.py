"""Pack the sample's frames by modality, and its record, for the model."""
from collections.abc import Sequence

import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import check_keys, gather_frames
from .modality import Modalities
from .step import PipelineStep

# The key DecodeFrames writes; DecodeFrames' frame_map describes it.
FRAMES_KEY = 'imgs'


@TRANSFORMS.register_module()
class PackVideoInputs(PipelineStep):
    """Reshape each packed modality into views; gather the sample's record.

    Each key of ``keys`` holds uint8 ``(V * T_k, C_k, H, W)``: ``num_crops`` blocks
    (crop-major), each of ``num_clips`` clips of T_k frames; they become V = num_crops *
    num_clips views of T_k frames (T_k and C_k may differ between keys, e.g. 2-channel
    flow fields; V is shared). The V dimension is always present (V = 1 in training).
    With a ``frame_map`` (see :class:`DecodeFrames`), ``imgs`` holds distinct frames and
    ``frame_map`` lists the one shown at each of its positions; they are gathered here,
    in one copy that keeps the channels-last memory. ``frame_map`` describes ``imgs``
    only; other keys arrive laid out.

    Required keys: every key of ``keys``, ``filename``, ``sample_idx`` (optional),
    ``num_clips``, ``num_crops`` (optional, default 1), ``label`` and ``task``
    (optional; ``task`` is required when ``label`` is present).

    Returns a new dict with:
        inputs: ``{key: uint8 (V, T_k, C_k, H, W)}``, one per key of ``keys`` (``{'imgs':
            ...}`` by default). Without ``frame_map`` views of the frames (no copy);
            frames usually stay stored channels-last, ``(H, W, C)`` in memory, as decoded.
        data_samples: the sample's plain record (no torch here; ``video_collate`` makes
            the ``VideoDataSample``): ``metainfo`` (``path`` = ``filename``,
            ``sample_idx``, ``num_views`` = V, ``truncated_frames`` (``(header count,
            real count)``, only for a truncated video, see :class:`DecodeFrames`), plus
            ``meta_keys``), and ``gt_label`` and ``task`` when ``label`` is given.

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
        self.keys = check_keys(keys, 'PackVideoInputs keys')

    def transform(self, results: dict) -> dict:
        num_views = results.get('num_crops', 1) * results.get('num_clips', 1)
        packed = {key: self._views(results, key, num_views) for key in self.keys}
        metainfo = dict(path=results.get('filename'), sample_idx=results.get('sample_idx'),
                        num_views=num_views)
        if 'truncated_frames' in results:
            metainfo['truncated_frames'] = tuple(results['truncated_frames'])
        metainfo.update({key: results[key] for key in self.meta_keys if key in results})
        record = dict(metainfo=metainfo)
        if 'label' in results:
            if 'task' not in results:
                raise KeyError("PackVideoInputs needs results['task'] ('classification' or "
                               "'regression') to pack a label.")
            record.update(gt_label=results['label'], task=results['task'])
        return dict(inputs=packed, data_samples=record)

    def _views(self, results: dict, key: str, num_views: int) -> np.ndarray:
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
        if num_positions % num_views:
            raise ValueError(
                f'PackVideoInputs: {num_positions} frames of {key!r} cannot be {num_views} views '
                f'(num_crops x num_clips) for {results.get("filename")!r}.')
        return frames.reshape(num_views, num_positions // num_views, *frames.shape[1:])

    def modalities(self, specs: Modalities) -> Modalities:
        """Only the packed keys, in the order of ``keys`` (those some step declared)."""
        return {key: specs[key] for key in self.keys if key in specs}
