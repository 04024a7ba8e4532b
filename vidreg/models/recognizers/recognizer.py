"""Backbone -> temporal module -> head, with channel counts wired automatically."""
import inspect
from typing import Mapping, Optional, Tuple, Union

from torch import Tensor, nn

from vidreg.pipeline.modality import ModalitySpec
from vidreg.registry import MODELS
from vidreg.structures import Inputs

from .base_recognizer import BaseRecognizer


def _build(cfg: Union[dict, nn.Module], **default_args) -> nn.Module:
    return cfg if isinstance(cfg, nn.Module) else MODELS.build(cfg, default_args=default_args)


def _build_backbone(cfg: Union[dict, nn.Module], spec: Optional[ModalitySpec],
                    input_key: str) -> nn.Module:
    """The backbone, its ``in_channels`` the channels its input carries (``spec``).

    Raises:
        ValueError: The config (or module) states other ``in_channels`` than the input
            carries, or the backbone takes no ``in_channels`` and the input is not 3-channel.
    """
    if spec is None or isinstance(cfg, nn.Module):
        backbone = _build(cfg)
        _check_channels(type(backbone).__name__, getattr(backbone, 'in_channels', None), spec,
                        input_key)
        return backbone
    _check_channels(cfg['type'], cfg.get('in_channels'), spec, input_key)
    cls = MODELS.get(cfg['type'])
    if cls is not None and 'in_channels' in inspect.signature(cls).parameters:
        return MODELS.build(cfg, default_args=dict(in_channels=spec.channels))
    if spec.channels != 3:
        raise ValueError(f'backbone {cfg["type"]} takes no in_channels, but its input '
                         f'{input_key!r} carries {spec.channels} channels ({spec.kind}).')
    return MODELS.build(cfg)


def _check_channels(name: str, stated: Optional[int], spec: Optional[ModalitySpec],
                    input_key: str) -> None:
    """A stated ``in_channels`` must be what the input carries."""
    if spec is not None and stated is not None and stated != spec.channels:
        raise ValueError(f'backbone {name} in_channels={stated}, but its input {input_key!r} '
                         f'carries {spec.channels} channels ({spec.kind}); drop in_channels: '
                         f'the pipeline declares it.')


@MODELS.register_module()
class Recognizer(BaseRecognizer):
    """Video classifier or regressor.

    The backbone is built with ``in_channels`` = the channels its input carries (the
    pipeline's :class:`~vidreg.pipeline.ModalitySpec` of ``input_key``), the temporal
    module with ``in_channels=backbone.out_channels`` and the head with
    ``in_channels=temporal.out_channels``: configs never state them.

    Args:
        backbone: ``(N, C, T, H, W) -> (N, D, T', H', W')`` config or module.
        temporal: ``(N, D, T', H', W') -> (N, E)`` config or module.
        head: ``(N, E) -> (N, K)`` config or module (``ClsHead`` or ``RegHead``).
        input_key: The modality of ``inputs`` this recognizer reads (a key of
            ``PackVideoInputs(keys=...)``): ``'imgs'`` (the RGB frames), ``'flow'``,
            ``'sg3i'``...; a late-fusion model holds one such recognizer per stream.
        modalities: See :class:`BaseRecognizer`.
        data_preprocessor: See :class:`BaseRecognizer`.
        channels_last: See :class:`BaseRecognizer`.
        max_views_per_batch: See :class:`BaseRecognizer`.
        init_cfg: mmengine weight-initialisation config.
    """

    def __init__(self,
                 *,
                 backbone: Union[dict, nn.Module],
                 temporal: Union[dict, nn.Module],
                 head: Union[dict, nn.Module],
                 input_key: str = 'imgs',
                 modalities: Optional[Mapping[str, ModalitySpec]] = None,
                 data_preprocessor: Union[dict, nn.Module, None] = None,
                 channels_last: bool = False,
                 max_views_per_batch: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, modalities=modalities,
                         channels_last=channels_last,
                         max_views_per_batch=max_views_per_batch, init_cfg=init_cfg)
        self.backbone = _build_backbone(backbone, self.input_spec(input_key), input_key)
        self.temporal = _build(temporal, in_channels=self.backbone.out_channels)
        self.head = _build(head, in_channels=self.temporal.out_channels)
        self.input_key = input_key

    @property
    def input_keys(self) -> Tuple[str, ...]:
        """``(input_key,)``."""
        return (self.input_key,)

    def extract_feat(self, inputs: Inputs) -> Tensor:
        """Embed folded clips.

        Args:
            inputs: Clips ``{name: (N, C, T, H, W)}``; ``input_key`` is read.

        Returns:
            Clip embeddings, (N, E).
        """
        feats = self.backbone(self.select_input(inputs))  # (N, D, T', H', W')
        return self.temporal(feats)  # (N, E)

    def select_input(self, inputs: Inputs) -> Tensor:
        """The clips of ``input_key``, (N, C, T, H, W)."""
        if self.input_key not in inputs:
            raise ValueError(
                f'{type(self).__name__}(input_key={self.input_key!r}) got inputs with the '
                f'modalities {sorted(inputs)}; set input_key to the one this recognizer reads.')
        return inputs[self.input_key]
