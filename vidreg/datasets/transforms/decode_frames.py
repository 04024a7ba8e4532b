"""Decode the sampled frames into the clip tensor."""
import torch
from mmcv.transforms import BaseTransform

from vidreg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class DecodeFrames(BaseTransform):
    """Read ``frame_inds`` from the open reader into a uint8 ``(N, C, H, W)`` tensor.

    This is the only place that converts the reader's ``(N, H, W, 3)`` numpy
    layout to the ``(N, C, H, W)`` tensor layout. The permute is free: the
    tensor keeps the ``channels_last`` memory format, which the resize and
    crop kernels handle fastest; :class:`PackVideoInputs` makes it contiguous.

    Required keys: ``video_reader``, ``frame_inds``.

    Added keys: ``imgs`` (uint8 ``(N, 3, H, W)`` RGB, N = len(frame_inds)),
    ``original_shape`` and ``img_shape`` (both ``(H, W)``).

    Modified keys: ``total_frames`` (the real count if the video ended early).

    Removed keys: ``video_reader`` (closed).
    """

    def transform(self, results: dict) -> dict:
        reader = results.pop('video_reader')
        try:
            frames = reader.read(results['frame_inds'])  # (N, H, W, 3)
            results['total_frames'] = reader.num_frames
        finally:
            reader.close()
        imgs = torch.from_numpy(frames).permute(0, 3, 1, 2)  # (N, 3, H, W), channels_last
        results['imgs'] = imgs
        results['original_shape'] = tuple(imgs.shape[-2:])
        results['img_shape'] = tuple(imgs.shape[-2:])
        return results
