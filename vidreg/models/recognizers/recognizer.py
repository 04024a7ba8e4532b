"""Backbone -> temporal module -> head, with channel counts wired automatically."""
from typing import Optional, Tuple, Union

from torch import Tensor, nn

from vidreg.registry import MODELS
from vidreg.structures import Inputs

from .base_recognizer import BaseRecognizer


def _build(cfg: Union[dict, nn.Module], **default_args) -> nn.Module:
    return cfg if isinstance(cfg, nn.Module) else MODELS.build(cfg, default_args=default_args)


@MODELS.register_module()
class Recognizer(BaseRecognizer):
    """Video classifier or regressor.

    The temporal module is built with ``in_channels=backbone.out_channels`` and the
    head with ``in_channels=temporal.out_channels``: configs never repeat them.

    Args:
        backbone: ``(N, C, T, H, W) -> (N, D, T', H', W')`` config or module.
        temporal: ``(N, D, T', H', W') -> (N, E)`` config or module.
        head: ``(N, E) -> (N, K)`` config or module (``ClsHead`` or ``RegHead``).
        input_key: The modality of ``inputs`` this recognizer reads (a key of
            ``PackVideoInputs(keys=...)``): ``'imgs'`` (the RGB frames), ``'flow'``,
            ``'sg3i'``...; a late-fusion model holds one such recognizer per stream.
        data_preprocessor: See :class:`BaseRecognizer`.
        channels_last: See :class:`BaseRecognizer`.
        init_cfg: mmengine weight-initialisation config.
    """

    def __init__(self,
                 *,
                 backbone: Union[dict, nn.Module],
                 temporal: Union[dict, nn.Module],
                 head: Union[dict, nn.Module],
                 input_key: str = 'imgs',
                 data_preprocessor: Union[dict, nn.Module, None] = None,
                 channels_last: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, channels_last=channels_last,
                         init_cfg=init_cfg)
        self.backbone = _build(backbone)
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
