"""Moves uint8 clips to the device, then converts and normalises them there."""
from typing import Callable, Literal, Mapping, Optional, Sequence, Union

import torch
from mmengine.model import BaseDataPreprocessor
from torch import Tensor, nn

from vidreg.pipeline.modality import RGB_FRAMES, ModalitySpec
from vidreg.registry import MODELS


class _Normalize(nn.Module):
    """uint8 ``(B, V, T, C, H, W)`` -> ``(x - mean) / std`` float ``(B, V, C, T, H, W)``."""

    def __init__(self, *, mean: Sequence[float], std: Sequence[float],
                 channel_order: Literal['rgb', 'bgr'], name: str) -> None:
        """``name`` labels argument errors."""
        super().__init__()
        if channel_order not in ('rgb', 'bgr'):
            raise ValueError(f"{name}: channel_order must be 'rgb' or 'bgr', got "
                             f'{channel_order!r}')
        if len(std) != len(mean):
            raise ValueError(f'{name}: mean has {len(mean)} values but std has {len(std)}')
        self.flip_channels = channel_order == 'bgr'
        shape = (1, 1, len(mean), 1, 1, 1)
        # Not persistent: checkpoints hold no statistics (they come from the pipeline).
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32).view(shape), False)
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32).view(shape), False)

    def forward(self, clips: Tensor, name: str) -> Tensor:
        """Args: clips uint8 (B, V, T, C, H, W); name for errors. Returns (B, V, C, T, H, W)."""
        if clips.dim() != 6:
            raise ValueError(f'Expected clips of shape (B, V, T, C, H, W) for {name}, got '
                             f'{tuple(clips.shape)}')
        clips = clips.permute(0, 1, 3, 2, 4, 5).float()  # (B, V, C, T, H, W)
        if self.flip_channels:
            clips = clips.flip(2)
        if clips.shape[2] != self.mean.shape[2]:
            raise ValueError(f'{name} has {clips.shape[2]} channels but its statistics have '
                             f'{self.mean.shape[2]}: the data does not match the pipeline the '
                             f'model was built for.')
        return (clips - self.mean) / self.std


@MODELS.register_module()
class VideoDataPreprocessor(BaseDataPreprocessor):
    """uint8 ``(B, V, T, C, H, W)`` -> normalised float ``(B, V, C, T, H, W)`` on the device.

    The only place in vidreg that permutes clip axes. Copying uint8 to the GPU
    moves 4x fewer bytes than float; the conversion runs on the device. The inputs are
    a dict of modalities (the keys of ``PackVideoInputs``, e.g. ``imgs`` and ``flow``),
    each normalised with the statistics its pipeline declares
    (:class:`~vidreg.pipeline.ModalitySpec`): ImageNet's for RGB frames, 127.5 for flow
    fields, ... The model builder hands them in (``modalities``, see
    :func:`vidreg.models.build_model`); configs never state them.

    Args:
        modalities: Name -> spec of every input; ``None``: RGB frames under ``imgs``.
        mean: Per-channel mean in 0-255 units for the RGB frames (kind ``'rgb'``), when the
            backbone's pretrained weights expect other statistics than the pipeline's
            ImageNet ones (e.g. Kinetics'), in the order of ``channel_order``; ``None``:
            the pipeline's.
        std: Per-channel standard deviation of the RGB frames likewise; ``(1, 1, 1)``
            subtracts the mean only (C3D's convention).
        channel_order: ``'rgb'`` keeps the decoder's order; ``'bgr'`` flips the RGB frames
            (C3D's Sports-1M weights expect BGR).
        batch_augments: A batch augmentation applied to normalised training batches only,
            ``(inputs, data_samples) -> (inputs, data_samples)``: a config (``MixUpCutMix``,
            which gives soft targets ``gt_score``) or a callable; ``None``: none.

    Raises:
        ValueError: ``mean``/``std`` are given but no input is RGB, or do not have the
            input's channels.
        TypeError: A modality is not a ``ModalitySpec`` (per-input statistics are the
            pipeline's, not the config's).
    """

    def __init__(self,
                 *,
                 modalities: Optional[Mapping[str, ModalitySpec]] = None,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 channel_order: Literal['rgb', 'bgr'] = 'rgb',
                 batch_augments: Union[dict, Callable, None] = None) -> None:
        super().__init__()
        self.batch_augments = (MODELS.build(batch_augments) if isinstance(batch_augments, dict)
                               else batch_augments)
        specs = dict(modalities) if modalities is not None else dict(imgs=RGB_FRAMES)
        stated = [spec for spec in specs.values() if not isinstance(spec, ModalitySpec)]
        if stated:
            raise TypeError(f'VideoDataPreprocessor: modalities are the pipeline\'s '
                            f'ModalitySpecs, got {stated}; the statistics of every input come '
                            f'from its pipeline (drop data_preprocessor.modalities).')
        overridden = mean is not None or std is not None or channel_order != 'rgb'
        if overridden and not any(spec.kind == 'rgb' for spec in specs.values()):
            raise ValueError(f'VideoDataPreprocessor: mean, std and channel_order set the '
                             f'statistics of RGB frames, but the inputs are '
                             f'{ {name: spec.kind for name, spec in specs.items()} }.')
        self.normalizers = nn.ModuleDict({
            name: self._normalizer(name, spec, mean, std, channel_order)
            for name, spec in specs.items()})

    @staticmethod
    def _normalizer(name: str, spec: ModalitySpec, mean: Optional[Sequence[float]],
                    std: Optional[Sequence[float]], channel_order: str) -> _Normalize:
        """The statistics of one input: the spec's, or for RGB frames the ones given."""
        label = f'inputs[{name!r}]'
        if spec.kind != 'rgb':
            return _Normalize(mean=spec.mean, std=spec.std, channel_order='rgb', name=label)
        mean = spec.mean if mean is None else tuple(mean)
        std = spec.std if std is None else tuple(std)
        if len(mean) != spec.channels:
            raise ValueError(f'VideoDataPreprocessor: mean {mean} for {label}, whose frames '
                             f'have {spec.channels} channels')
        return _Normalize(mean=mean, std=std, channel_order=channel_order, name=label)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise a collated batch.

        Args:
            data: ``inputs`` ``{name: uint8 (B, V, T, C, H, W)}`` (from ``video_collate``)
                and ``data_samples``.
            training: Whether this is a training batch: only then ``batch_augments`` runs
                (the conversion is the same in training and testing).

        Returns:
            ``inputs`` ``{name: float32 (B, V, C, T, H, W)}`` and ``data_samples``, on the
            device.
        """
        data = self.cast_data(dict(inputs=data['inputs'], data_samples=data.get('data_samples')))
        unknown = [name for name in data['inputs'] if name not in self.normalizers]
        if unknown:
            raise ValueError(f'inputs {unknown} have no statistics: the model was built for the '
                             f'inputs {list(self.normalizers)} (build it from its config with '
                             f'vidreg.models.build_model, which reads them from the pipeline).')
        inputs = {name: self.normalizers[name](clips, f'inputs[{name!r}]')
                  for name, clips in data['inputs'].items()}
        data_samples = data['data_samples']
        if training and self.batch_augments is not None:
            inputs, data_samples = self.batch_augments(inputs, data_samples)
        return dict(inputs=inputs, data_samples=data_samples)
