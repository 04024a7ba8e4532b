"""Moves uint8 clips to the device, then converts and normalises them there."""
from typing import Dict, Literal, Optional, Sequence

import torch
from mmengine.model import BaseDataPreprocessor
from torch import Tensor, nn

from vidreg.registry import MODELS

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


class _Normalize(nn.Module):
    """uint8 ``(B, V, T, C, H, W)`` -> ``(x - mean) / std`` float ``(B, V, C, T, H, W)``."""

    def __init__(self, *, mean: Sequence[float], std: Optional[Sequence[float]],
                 channel_order: Literal['rgb', 'bgr'], name: str) -> None:
        """``name`` labels argument errors."""
        super().__init__()
        if channel_order not in ('rgb', 'bgr'):
            raise ValueError(f"{name}: channel_order must be 'rgb' or 'bgr', got "
                             f'{channel_order!r}')
        if std is not None and len(std) != len(mean):
            raise ValueError(f'{name}: mean has {len(mean)} values but std has {len(std)}')
        self.flip_channels = channel_order == 'bgr'
        shape = (1, 1, len(mean), 1, 1, 1)
        # Not persistent: checkpoints hold no statistics (they come from the config).
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32).view(shape), False)
        std_values = std if std is not None else [1.0] * len(mean)
        self.register_buffer('std', torch.tensor(std_values, dtype=torch.float32).view(shape),
                             False)

    def forward(self, clips: Tensor, name: str) -> Tensor:
        """Args: clips uint8 (B, V, T, C, H, W); name for errors. Returns (B, V, C, T, H, W)."""
        if clips.dim() != 6:
            raise ValueError(f'Expected clips of shape (B, V, T, C, H, W) for {name}, got '
                             f'{tuple(clips.shape)}')
        clips = clips.permute(0, 1, 3, 2, 4, 5).float()  # (B, V, C, T, H, W)
        if self.flip_channels:
            clips = clips.flip(2)
        if clips.shape[2] != self.mean.shape[2]:
            raise ValueError(f'{name} has {clips.shape[2]} channels but its mean/std have '
                             f'{self.mean.shape[2]}; set mean and std for this input.')
        return (clips - self.mean) / self.std


@MODELS.register_module()
class VideoDataPreprocessor(BaseDataPreprocessor):
    """uint8 ``(B, V, T, C, H, W)`` -> normalised float ``(B, V, C, T, H, W)`` on the device.

    The only place in vidreg that permutes clip axes. Copying uint8 to the GPU
    moves 4x fewer bytes than float; the conversion runs on the device. The inputs are
    a dict of modalities (the keys of ``PackVideoInputs``, e.g. ``imgs`` and ``flow``),
    normalised key by key, each with its own statistics.

    Args:
        mean: Per-channel mean in 0-255 units (ImageNet by default), in the order of
            ``channel_order``; used for every modality not listed in ``modalities``.
        std: Per-channel standard deviation in 0-255 units. ``None`` subtracts the
            mean only (the C3D convention).
        channel_order: ``'rgb'`` keeps the decoder's order; ``'bgr'`` flips it
            (C3D's Sports-1M weights expect BGR).
        modalities: Per-modality ``dict(mean=..., std=..., channel_order=...)`` (the
            three arguments above; omitted ones take their defaults), e.g.
            ``dict(flow=dict(mean=(128, 128), std=(128, 128)))`` for 2-channel flow
            fields stored as uint8 around 128.
    """

    def __init__(self,
                 *,
                 mean: Sequence[float] = IMAGENET_MEAN,
                 std: Optional[Sequence[float]] = IMAGENET_STD,
                 channel_order: Literal['rgb', 'bgr'] = 'rgb',
                 modalities: Optional[Dict[str, dict]] = None) -> None:
        super().__init__()
        self.normalize = _Normalize(mean=mean, std=std, channel_order=channel_order, name='inputs')
        self.modalities = nn.ModuleDict()
        for key, cfg in (modalities or {}).items():
            unknown = set(cfg) - {'mean', 'std', 'channel_order'}
            if unknown:
                raise ValueError(f'VideoDataPreprocessor modalities[{key!r}] has unknown keys '
                                 f'{sorted(unknown)}; use mean, std and channel_order.')
            self.modalities[key] = _Normalize(
                mean=cfg.get('mean', IMAGENET_MEAN), std=cfg.get('std', IMAGENET_STD),
                channel_order=cfg.get('channel_order', 'rgb'), name=f'inputs[{key!r}]')

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise a collated batch.

        Args:
            data: ``inputs`` ``{name: uint8 (B, V, T, C, H, W)}`` (from ``video_collate``)
                and ``data_samples``.
            training: Unused; the same conversion runs in training and testing.

        Returns:
            ``inputs`` ``{name: float32 (B, V, C, T, H, W)}`` and ``data_samples``, on the
            device.
        """
        data = self.cast_data(dict(inputs=data['inputs'], data_samples=data.get('data_samples')))
        inputs = {key: self._normalizer(key)(clips, f'inputs[{key!r}]')
                  for key, clips in data['inputs'].items()}
        return dict(inputs=inputs, data_samples=data['data_samples'])

    def _normalizer(self, key: str) -> _Normalize:
        return self.modalities[key] if key in self.modalities else self.normalize
