"""Decode the sampled frames into the clip array."""
from typing import Optional

import numpy as np

from vidreg.registry import TRANSFORMS

from ._spatial import check_keys, gather_frames
from .modality import RGB_FRAMES, Modalities
from .open_video import VIDEO_READER_KEY
from .pack_video_inputs import FRAMES_KEY
from .resize import Resize
from .step import PipelineStep


@TRANSFORMS.register_module()
class DecodeFrames(PipelineStep):
    """Read ``frame_inds`` from the open reader into a uint8 ``(N, C, H, W)`` clip array.

    By default ``imgs`` holds the N = len(frame_inds) clip positions in clip
    order, the layout every later step can rely on. Each distinct frame is
    still decoded (and resized) once; repeated frames are copied.

    Sharing repeated frames is an optimisation that :class:`~vidreg.pipeline.Compose`
    turns on when every later step declares ``accepts_frame_map = True``: ``imgs`` then
    holds the M distinct frames ``(M, C, H, W)`` and ``frame_map`` says which of them
    each of the N clip positions shows, so overlapping test clips (or a short video
    padded by repetition) are not resized and cropped several times; multi-crop steps
    extend ``frame_map`` to their views and :class:`PackVideoInputs` lays the clips out.
    When the N indices are already distinct and ascending (a training clip), M = N and
    no ``frame_map`` is added either way.

    With ``resize``, each frame is resized as soon as it is decoded (same
    result as a following :class:`Resize` with those arguments): the
    full-size frames are then never copied into one array, which saves a
    third of the decode time of a 320x240 test video.

    This is the only place that turns the reader's ``(M, H, W, 3)`` layout into the
    ``(M, C, H, W)`` layout of the steps; the transpose is free: the array is a view
    that keeps the channels-last memory, which OpenCV's kernels read directly.

    **Several decoded keys.** ``reader_key``, ``inds_key`` and ``out_key`` let a
    second reader of the sample (``OpenVideo(reader_key='flow_reader', ...)``)
    be decoded at its own indices into its own key, e.g.
    ``DecodeFrames(reader_key='flow_reader', inds_key='flow_inds', out_key='flow')``
    (see :class:`SampleFlowFields`). The step that writes ``imgs`` (the
    default) owns the sample-level keys below (``frame_map``, shapes,
    ``total_frames``, ``truncated_frames``); another ``out_key`` gets only its
    frames, always laid out whole, ``(N_k, C, H, W)`` in the order of its
    indices (``frame_map`` describes ``imgs`` only), so every later step sees
    it in clip order.

    Required keys: ``reader_key`` (default ``video_reader``), ``inds_key``
    (default ``frame_inds``).

    Added keys: ``imgs`` (uint8 ``(N, 3, H, W)`` RGB; ``(M, 3, H, W)`` when
    sharing), ``frame_map`` (int64 ``(N,)``, only when sharing and M < N or
    the order differs),
    ``original_shape`` (``(H, W)`` as decoded) and ``img_shape``.

    Modified keys: ``total_frames`` (the real count if the video ended early).

    Added when the video ended before the count in its header (a truncated file: the clip's
    last frames repeat the last real one): ``truncated_frames``, ``(header count, real
    count)``; :class:`PackVideoInputs` keeps it in the metainfo, so that it is reported.

    Removed keys: ``reader_key`` (closed).

    Args:
        resize: Arguments of a :class:`Resize` applied to each frame as it is
            decoded, e.g. ``dict(short_side=128)``; ``None`` keeps the
            decoded size. Reported (:meth:`config`) with every default filled in.
        reader_key: The open reader to decode (from ``OpenVideo(reader_key=...)``).
        inds_key: The int64 ``(N,)`` frame indices to read.
        out_key: Where the frames go; ``'imgs'`` (the sample's frames) or another
            modality's key, e.g. ``'flow'``.
    """

    # Safe before or after another DecodeFrames: it touches imgs and frame_map only when it
    # writes imgs, and then replaces both.
    accepts_frame_map = True

    def __init__(self, resize: Optional[dict] = None, *, reader_key: str = VIDEO_READER_KEY,
                 inds_key: str = 'frame_inds', out_key: str = FRAMES_KEY) -> None:
        self._resize = None if resize is None else Resize(**resize)
        self.resize = None if resize is None else {
            key: value for key, value in self._resize.config().items()
            if key not in ('type', 'keys')}
        self.reader_key, self.inds_key, self.out_key = check_keys(
            (reader_key, inds_key, out_key), 'DecodeFrames (reader_key, inds_key, out_key)')
        self.share_repeated_frames = False  # turned on by Compose where safe

    def transform(self, results: dict) -> dict:
        for key in (self.reader_key, self.inds_key):
            if key not in results:
                raise KeyError(f'DecodeFrames: the sample of {results.get("filename")!r} has no '
                               f'{key!r} (it has {sorted(results)}); put the OpenVideo / sampler '
                               f'step that makes it before.')
        reader = results.pop(self.reader_key)
        if self.out_key != FRAMES_KEY:
            return self._decode_laid_out(results, reader)
        decoded_shapes = []

        def resize_frame(frame: np.ndarray) -> np.ndarray:
            decoded_shapes.append(frame.shape[:2])
            return self._resize.resize_frame(frame)

        header_frames = reader.total_frames
        try:
            frames, frame_map = reader.read_distinct(
                results[self.inds_key], None if self._resize is None else resize_frame)
            results['total_frames'] = reader.total_frames
        finally:
            reader.close()
        if reader.total_frames < header_frames:
            results['truncated_frames'] = (header_frames, reader.total_frames)
        imgs = frames.transpose(0, 3, 1, 2)  # (M, 3, H, W), a view: memory stays (M, H, W, 3)
        results.pop('frame_map', None)
        if not np.array_equal(frame_map, np.arange(len(frame_map))):
            if self.share_repeated_frames:
                results['frame_map'] = frame_map
            else:
                imgs = gather_frames(imgs, frame_map)  # (N, 3, H, W)
        results['imgs'] = imgs
        results['original_shape'] = tuple(decoded_shapes[0] if decoded_shapes
                                          else imgs.shape[-2:])
        results['img_shape'] = tuple(imgs.shape[-2:])
        return results

    def _decode_laid_out(self, results: dict, reader) -> dict:
        """Another modality's frames, ``(N_k, C, H, W)`` in the order of ``inds_key``."""
        try:
            frames, frame_map = reader.read_distinct(
                results[self.inds_key],
                None if self._resize is None else self._resize.resize_frame)
        finally:
            reader.close()
        imgs = frames.transpose(0, 3, 1, 2)  # (M, C, H, W), a view
        if not np.array_equal(frame_map, np.arange(len(frame_map))):
            imgs = gather_frames(imgs, frame_map)  # (N_k, C, H, W)
        results[self.out_key] = imgs
        return results

    def modalities(self, specs: Modalities) -> Modalities:
        """``out_key``: the frames of the reader (RGB unless it says otherwise), T from
        ``inds_key`` (the sampler's ``num_frames``); the reader is used up."""
        frames = specs.get(self.inds_key)
        specs[self.out_key] = specs.pop(self.reader_key, RGB_FRAMES).with_frames(
            None if frames is None else frames.frames)
        return specs
