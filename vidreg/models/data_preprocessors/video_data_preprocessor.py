"""Moves uint8 clips to the device, then converts and normalises them there."""
from typing import Optional, Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from vidreg.registry import MODELS

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


@MODELS.register_module()
class VideoDataPreprocessor(BaseDataPreprocessor):
    """uint8 ``(B, V, T, C, H, W)`` -> normalised float ``(B, V, C, T, H, W)`` on the device.

    The only place in vidreg that permutes clip axes. Copying uint8 to the GPU
    moves 4x fewer bytes than float; the conversion runs on the device.

    Args:
        mean: Per-channel mean in 0-255 units (ImageNet by default), in the order of
            ``channel_order``.
        std: Per-channel standard deviation in 0-255 units. ``None`` subtracts the
            mean only (the C3D convention).
        channel_order: ``'rgb'`` keeps the decoder's order; ``'bgr'`` flips it
            (C3D's Sports-1M weights expect BGR).
    """

    def __init__(self,
                 *,
                 mean: Sequence[float] = IMAGENET_MEAN,
                 std: Optional[Sequence[float]] = IMAGENET_STD,
                 channel_order: str = 'rgb') -> None:
        super().__init__()
        if channel_order not in ('rgb', 'bgr'):
            raise ValueError(f"channel_order must be 'rgb' or 'bgr', got {channel_order!r}")
        if std is not None and len(std) != len(mean):
            raise ValueError(f'mean has {len(mean)} values but std has {len(std)}')
        self.flip_channels = channel_order == 'bgr'
        shape = (1, 1, len(mean), 1, 1, 1)
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32).view(shape), False)
        std_values = std if std is not None else [1.0] * len(mean)
        self.register_buffer('std', torch.tensor(std_values, dtype=torch.float32).view(shape),
                             False)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise a collated batch.

        Args:
            data: ``inputs`` uint8 ``(B, V, T, C, H, W)`` (or a list of ``(V, T, C, H, W)``)
                and ``data_samples``.
            training: Unused; the same conversion runs in training and testing.

        Returns:
            ``inputs`` float32 ``(B, V, C, T, H, W)`` and ``data_samples``, on the device.
        """
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))  # (B, V, T, C, H, W)
        data = self.cast_data(dict(inputs=inputs, data_samples=data.get('data_samples')))
        inputs = data['inputs']
        if inputs.dim() != 6:
            raise ValueError(
                f'Expected clips of shape (B, V, T, C, H, W), got {tuple(inputs.shape)}')
        inputs = inputs.permute(0, 1, 3, 2, 4, 5).float()  # (B, V, C, T, H, W)
        if self.flip_channels:
            inputs = inputs.flip(2)
        if inputs.shape[2] != self.mean.shape[2]:
            raise ValueError(f'Clips have {inputs.shape[2]} channels but mean/std have '
                             f'{self.mean.shape[2]}; set mean and std for this input.')
        inputs = (inputs - self.mean) / self.std
        return dict(inputs=inputs, data_samples=data['data_samples'])
