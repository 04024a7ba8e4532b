"""Several stream recognizers (RGB, flow, SG3I, ...), each on its own modality, fused late."""
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

import torch
from torch import Tensor, nn

from vidreg.config import ConfigError
from vidreg.pipeline.modality import ModalitySpec
from vidreg.registry import MODELS
from vidreg.structures import Inputs, VideoDataSample

from .base_recognizer import BaseRecognizer
from .recognizer import Recognizer


@MODELS.register_module()
class LateFusionRecognizer(BaseRecognizer):
    """Two-stream (or S-stream) late fusion: each stream scores its modality, a head fuses.

    Each stream is a :class:`Recognizer` reading one key of the packed inputs
    (``input_key='imgs'``, ``'flow'``, ``'sg3i'``; see ``PackVideoInputs(keys=...)``).
    :meth:`extract_feat` returns the streams' logits concatenated, (N, S * K), and
    ``head`` (default :class:`~vidreg.models.heads.LateFusionHead`, built with
    ``in_channels=S * K`` and ``num_classes=K``) fuses them, so prediction, view
    averaging and the validation loss are :class:`BaseRecognizer`'s.

    Training: the fused loss (``loss_cls``) plus each stream's own cross-entropy
    ``loss_<stream name>`` times ``stream_loss_weight`` (joint end-to-end training;
    the stream losses keep each stream a classifier on its own). Separately trained
    streams (e.g. the demos' ``streams_used=('rgb',)`` runs) are fused into one
    checkpoint of this model by ``tools/fuse_checkpoints.py CONFIG --stream
    rgb=A.pth --stream sg3i=B.pth --out fused.pth``, which checks every stream's
    tensors and the class names; test it directly (average fusion) or train only the
    fusion layer from it (``load_from=fused.pth``, ``freeze_streams=True``,
    ``head=dict(type='LateFusionHead', mode='learned')``). Or fuse their dumped
    predictions with ``tools/fuse_predictions.py``. (A stream's ``init_cfg=dict(
    type='Pretrained', checkpoint=...)`` also loads a plain ``Recognizer`` checkpoint when
    training starts from scratch.)

    Args:
        streams: Stream name -> ``Recognizer`` config or module. All must predict the same
            K classes. Name a stream after the input it reads: ``rgb`` (``imgs``),
            ``flow``, ``sg3i``.
        head: Fusion head config or module (default average fusion, equal weights). A
            config's ``weights`` name their streams, ``{'rgb': 1.0, 'flow': 1.5}`` (one per
            stream of ``streams``); the head gets them in the order of the streams built.
        streams_used: Build only these streams (e.g. ``('rgb',)``: train one stream
            alone, then fuse the runs with ``tools/fuse_checkpoints.py``); None: all.
        stream_loss_weight: Weight of each stream's own loss (0: the fused loss only).
        freeze_streams: Keep the streams fixed (no gradients, BatchNorm in eval mode)
            and train only the fusion head.
        modalities: See :class:`BaseRecognizer`; every stream is built with them.
        data_preprocessor: See :class:`BaseRecognizer` (normalises each modality).
        max_views_per_batch: See :class:`BaseRecognizer`; every stream embeds the same
            chunk of clips (the streams' own setting is not used).
        init_cfg: mmengine weight-initialisation config.
    """

    def __init__(self, *, streams: Mapping[str, Union[dict, nn.Module]],
                 head: Union[dict, nn.Module, None] = None,
                 streams_used: Optional[Sequence[str]] = None, stream_loss_weight: float = 1.0,
                 freeze_streams: bool = False,
                 modalities: Optional[Mapping[str, ModalitySpec]] = None,
                 data_preprocessor: Union[dict, nn.Module, None] = None,
                 max_views_per_batch: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, modalities=modalities,
                         max_views_per_batch=max_views_per_batch, init_cfg=init_cfg)
        if not streams:
            raise ValueError('LateFusionRecognizer needs at least one stream, e.g. '
                             "streams=dict(rgb=dict(type='Recognizer', input_key='imgs', ...))")
        head = _head_with_stream_weights(head, streams, streams_used or tuple(streams))
        if streams_used is not None:
            streams = _used_streams(streams, streams_used)
        self.streams = nn.ModuleDict({  # each stream's backbone takes its input's channels
            name: cfg if isinstance(cfg, nn.Module) else MODELS.build(
                cfg, default_args=dict(modalities=modalities))
            for name, cfg in streams.items()})
        classes = {name: getattr(stream.head, 'num_classes', None)
                   for name, stream in self.streams.items()}
        if not all(isinstance(stream, Recognizer) for stream in self.streams.values()) or len(
                set(classes.values())) != 1 or None in classes.values():
            raise ValueError(f'Every stream must be a Recognizer with a ClsHead of the same '
                             f'num_classes; got {classes}.')
        self.num_classes = next(iter(classes.values()))
        head = head if head is not None else dict(type='LateFusionHead')
        self.head = head if isinstance(head, nn.Module) else MODELS.build(
            head, default_args=dict(in_channels=len(self.streams) * self.num_classes,
                                    num_classes=self.num_classes))
        self.stream_loss_weight = stream_loss_weight
        self.freeze_streams = freeze_streams
        if freeze_streams:
            self.streams.requires_grad_(False)

    @property
    def input_keys(self) -> Tuple[str, ...]:
        """The streams' ``input_key`` in stream order, each once."""
        return tuple(dict.fromkeys(stream.input_key for stream in self.streams.values()))

    def init_weights(self) -> None:
        """Initialise (load pretrained backbones, stream checkpoints) every stream."""
        super().init_weights()
        for stream in self.streams.values():
            stream.init_weights()

    def train(self, mode: bool = True) -> 'LateFusionRecognizer':
        """Set the mode; frozen streams stay in eval mode."""
        super().train(mode)
        if self.freeze_streams:
            self.streams.eval()
        return self

    def extract_feat(self, inputs: Inputs) -> Tensor:
        """Score folded clips with every stream.

        Args:
            inputs: Clips ``{name: (N, C_k, T_k, H, W)}``, one per modality; each stream
                reads its ``input_key``.

        Returns:
            The streams' logits concatenated in stream order, (N, S * K).
        """
        with torch.set_grad_enabled(torch.is_grad_enabled() and not self.freeze_streams):
            return torch.cat([stream.head(stream.extract_feat(inputs))
                              for stream in self.streams.values()], dim=1)

    def loss_by_feat(self, feats: Tensor, data_samples: List[VideoDataSample]
                     ) -> Dict[str, Tensor]:
        """The fused loss (``loss_cls``) and, weighted, each stream's (``loss_<name>``).

        Args:
            feats: The streams' logits, (N, S * K).
            data_samples: N samples with ``gt_label``.
        """
        losses = self.head.loss(feats, data_samples)
        if self.stream_loss_weight > 0 and not self.freeze_streams:
            for s, (name, stream) in enumerate(self.streams.items()):
                logits = feats[:, s * self.num_classes:(s + 1) * self.num_classes]  # (N, K)
                losses[f'loss_{name}'] = (self.stream_loss_weight
                                          * stream.head.loss_of_outputs(logits, data_samples))
        return losses


def _used_streams(streams: Mapping[str, Union[dict, nn.Module]],
                  used: Sequence[str]) -> Dict[str, Union[dict, nn.Module]]:
    """The streams named in ``used``, in ``streams`` order.

    Raises:
        ValueError: ``used`` is empty or names no stream of ``streams``.
    """
    unknown = [name for name in used if name not in streams]
    if unknown or not used:
        raise ValueError(f'streams_used={tuple(used)!r}: name one or more of the streams '
                         f'{tuple(streams)}' + (f' ({unknown} are not streams)' if unknown else ''))
    return {name: cfg for name, cfg in streams.items() if name in used}


def _head_with_stream_weights(head: Union[dict, nn.Module, None],
                              streams: Mapping[str, Union[dict, nn.Module]],
                              used: Sequence[str]) -> Union[dict, nn.Module, None]:
    """A head config whose ``weights`` ``{stream: weight}`` become the list of the streams
    built (``streams`` order, those in ``used``), as :class:`LateFusionHead` takes them.

    Raises:
        ConfigError: ``weights`` is not a dict naming each stream of ``streams`` once.
    """
    if not isinstance(head, dict) or head.get('weights') is None:
        return head
    weights = head['weights']
    if not isinstance(weights, Mapping) or set(weights) != set(streams):
        example = ', '.join(f'{name!r}: 1.0' for name in streams)
        raise ConfigError(f'LateFusionRecognizer: head.weights={weights!r} must give each '
                          f'stream its fusion weight by name, {{{example}}} (streams '
                          f'{tuple(streams)}).')
    return dict(head, weights=[weights[name] for name in streams if name in used])
