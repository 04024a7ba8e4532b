"""The one mmengine BaseModel contract: views folded in, named losses out, averaged predictions."""
from collections.abc import Mapping
from typing import Dict, List, Literal, Optional, Tuple, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor

from vidreg.config import ConfigError
from vidreg.models.heads import BaseHead
from vidreg.pipeline.modality import ModalitySpec
from vidreg.registry import MODELS
from vidreg.structures import Inputs, VideoDataSample


class BaseRecognizer(BaseModel):
    """``forward(inputs {name: (B, V, C, T, H, W)}, data_samples, mode)``, the mmengine way.

    ``inputs`` is always a dict of named modalities (:data:`~vidreg.structures.Inputs`,
    ``imgs`` for the RGB frames). Every mode folds the views (clips x crops) of each
    modality into the batch with :meth:`fold_views`, runs :meth:`extract_feat` once,
    then::

        mode='tensor'   _forward         -> head outputs (B * V, K)
        mode='loss'     loss             -> loss_by_feat    -> {'loss_cls': ..., ...}
        mode='predict'  predict          -> predict_by_feat -> data samples
        (validation)    loss_and_predict -> both, from one run of the network

    A subclass adds a branch (an auxiliary loss ``loss_<name>``) by overriding
    :meth:`loss_by_feat` alone, or streams (several modalities, late fusion) by
    overriding :meth:`extract_feat` / :meth:`predict_by_feat`; it never copies
    ``forward``. Predictions are averaged over views in :meth:`average_views` and
    nowhere else. In eval mode :meth:`embed_views` runs the folded clips through
    :meth:`extract_feat` in chunks of ``max_views_per_batch``.

    Subclasses provide ``head`` (a :class:`BaseHead`), :meth:`extract_feat` and
    :attr:`input_keys`.

    Args:
        data_preprocessor: Config or module (default ``VideoDataPreprocessor``); a config
            is built with ``modalities``.
        modalities: What each input carries, name -> :class:`~vidreg.pipeline.ModalitySpec`
            (channels, kind, normalisation), as the data pipeline declares it; the model
            builder (:func:`vidreg.models.build_model`) hands it in. ``None``: RGB frames
            under ``imgs``.
        channels_last: Feed the network ``torch.channels_last_3d`` tensors (faster
            convolutions on recent GPUs).
        max_views_per_batch: In eval mode (validation, testing, inference) run the
            B * V folded clips through the network at most this many at a time, so that
            10 clips x 3 crops of a large backbone test within a fixed memory; the
            outputs equal those of one pass. ``None``: all at once. Training (BatchNorm
            takes the whole batch's statistics), ``torch.compile`` and ONNX export always
            run one pass.
        init_cfg: mmengine weight-initialisation config.
    """

    head: BaseHead
    # Prefixes of parameters that only mode='loss' uses (training-only auxiliary branches,
    # absent from the plain Recognizer's checkpoints); inference never touches them.
    loss_only_prefixes: Tuple[str, ...] = ()

    def __init__(self, *, data_preprocessor: Union[dict, torch.nn.Module, None] = None,
                 modalities: Optional[Mapping[str, ModalitySpec]] = None,
                 channels_last: bool = False, max_views_per_batch: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if max_views_per_batch is not None and (
                isinstance(max_views_per_batch, bool) or not isinstance(max_views_per_batch, int)
                or max_views_per_batch < 1):
            raise ConfigError(f'{type(self).__name__}: max_views_per_batch must be a positive '
                             f'integer (clips per network pass) or None (all at once), got '
                             f'{max_views_per_batch!r}.')
        data_preprocessor = data_preprocessor or dict(type='VideoDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor,
                                             default_args=dict(modalities=modalities))
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.modalities = None if modalities is None else dict(modalities)
        self.channels_last = channels_last
        self.max_views_per_batch = max_views_per_batch

    def input_spec(self, key: str) -> Optional[ModalitySpec]:
        """What input ``key`` carries (``None`` when the model was built without specs).

        Raises:
            ValueError: The pipeline does not pack ``key``.
        """
        if self.modalities is None:
            return None
        if key not in self.modalities:
            raise ValueError(f'{type(self).__name__} reads the input {key!r}, but the pipeline '
                             f'packs {sorted(self.modalities)}: set input_key to one of them, '
                             f'or pack {key!r} (PackVideoInputs(keys=...)).')
        return self.modalities[key]

    @property
    def input_keys(self) -> Tuple[str, ...]:
        """The modalities (keys of ``inputs``) the model reads, in a fixed order."""
        raise NotImplementedError

    # ---- the steps a subclass overrides -------------------------------------------------------
    def extract_feat(self, inputs: Inputs) -> Tensor:
        """Embed folded clips.

        Args:
            inputs: Clips ``{name: (N, C, T, H, W)}`` with N = B * V, one per modality, as
                :meth:`fold_views` returns.

        Returns:
            Clip embeddings, (N, E).
        """
        raise NotImplementedError

    def loss_by_feat(self, feats: Tensor, data_samples: List[VideoDataSample]
                     ) -> Dict[str, Tensor]:
        """Losses of one batch, each under its own key.

        Args:
            feats: What :meth:`extract_feat` returned, (N, E) with N = B * V.
            data_samples: N samples with ``gt_label``: each video's sample V times, in the
                order of the folded clips (see :meth:`repeat_views`).

        Returns:
            ``{'loss_cls' or 'loss_reg': scalar}`` from the head. mmengine sums every key
            containing ``'loss'`` into the total it back-propagates and logs as ``loss``;
            an override adds its branches as ``loss_<name>``.
        """
        return self.head.loss(feats, data_samples)

    def predict_by_feat(self, feats: Tensor, data_samples: Optional[List[VideoDataSample]],
                        num_views: int) -> List[VideoDataSample]:
        """View-averaged predictions written into the data samples.

        Args:
            feats: What :meth:`extract_feat` returned, (B * V, E).
            data_samples: B samples, or None (new ones are made).
            num_views: V.

        Returns:
            The B data samples with ``pred_score``/``pred_label`` or ``pred_value``, and,
            when V > 1, ``pred_views`` (V, K): each view's values before averaging (so
            metrics can report clip-level figures beside the video-level ones).
        """
        values = self.head.activate(self.head(feats))  # (B * V, K)
        samples = self.head.pack(self.average_views(values, num_views), data_samples)
        if num_views > 1:
            for sample, views in zip(samples, values.reshape(-1, num_views, values.shape[-1])):
                sample.pred_views = views.detach()  # (V, K)
        return samples

    # ---- the one place for views --------------------------------------------------------------
    def fold_views(self, inputs: Inputs) -> Tuple[Inputs, int]:
        """Fold the views of every modality into the batch.

        Args:
            inputs: Normalised clips ``{name: (B, V, C, T, H, W)}`` (C and T may differ
                between modalities, B and V may not).

        Returns:
            Clips ``{name: (B * V, C, T, H, W)}``, stored ``channels_last_3d`` when
            ``channels_last`` is set; and V.
        """
        if not isinstance(inputs, Mapping) or not inputs:
            raise TypeError(f'{type(self).__name__} takes inputs as a dict of modalities '
                            f'{{name: (B, V, C, T, H, W)}} (e.g. {{"imgs": clips}}), got '
                            f'{type(inputs).__name__}.')
        folded = {key: self._fold(value, key) for key, value in inputs.items()}
        batch_views = {key: (value.shape[0], value.shape[1]) for key, value in inputs.items()}
        first = next(iter(batch_views.values()))
        # Compared, not hashed: sizes are tensors or symbols while a graph is traced for export.
        if any(pair != first for pair in batch_views.values()):
            raise ValueError(f'Modalities differ in (B, V): {batch_views}; every modality of '
                             f'a sample must have the same views (check PackVideoInputs keys).')
        return folded, first[1]

    def _fold(self, clips: Tensor, name: str) -> Tensor:
        """(B, V, C, T, H, W) -> (B * V, C, T, H, W)."""
        if clips.dim() != 6:
            raise ValueError(f'inputs[{name!r}] must be (B, V, C, T, H, W), got '
                             f'{tuple(clips.shape)}')
        clips = clips.flatten(0, 1)  # (B * V, C, T, H, W)
        if self.channels_last:
            clips = clips.contiguous(memory_format=torch.channels_last_3d)
        return clips

    def embed_views(self, inputs: Inputs) -> Tuple[Tensor, int]:
        """Fold the views and embed the clips, ``max_views_per_batch`` at a time in eval mode.

        Args:
            inputs: Normalised clips ``{name: (B, V, C, T, H, W)}``.

        Returns:
            Clip embeddings (B * V, E), as one :meth:`extract_feat` pass gives them; and V.
        """
        clips, num_views = self.fold_views(inputs)
        chunk = self.max_views_per_batch
        # A traced graph keeps one pass: a loop over the traced batch would fix its size.
        if (chunk is None or self.training or torch.jit.is_tracing()
                or torch.compiler.is_compiling()):
            return self.extract_feat(clips), num_views
        num_clips = next(iter(clips.values())).shape[0]  # B * V
        feats = [self.extract_feat({key: value[start:start + chunk]  # (<= chunk, C, T, H, W)
                                    for key, value in clips.items()})
                 for start in range(0, num_clips, chunk)]
        return torch.cat(feats), num_views  # (B * V, E)

    @staticmethod
    def repeat_views(data_samples: Optional[List[VideoDataSample]],
                     num_views: int) -> List[VideoDataSample]:
        """Each of the B samples V times, in the order of the folded clips (B * V)."""
        if data_samples is None:
            raise ValueError("mode='loss' needs data_samples with gt_label")
        return [sample for sample in data_samples for _ in range(num_views)]

    @staticmethod
    def average_views(values: Tensor, num_views: int) -> Tensor:
        """Average per-view values (B * V, K) into per-video values (B, K)."""
        return values.reshape(-1, num_views, values.shape[-1]).mean(dim=1)  # (B, K)

    # ---- the modes ----------------------------------------------------------------------------
    def _forward(self, inputs: Inputs, data_samples: Optional[List] = None) -> Tensor:
        """Raw head outputs (B * V, K) of inputs ``{name: (B, V, C, T, H, W)}``."""
        feats, _ = self.embed_views(inputs)
        return self.head(feats)

    def loss(self, inputs: Inputs, data_samples: List[VideoDataSample]) -> Dict[str, Tensor]:
        """Named losses of inputs ``{name: (B, V, C, T, H, W)}``; see :meth:`loss_by_feat`."""
        feats, num_views = self.embed_views(inputs)
        return self.loss_by_feat(feats, self.repeat_views(data_samples, num_views))

    def predict(self, inputs: Inputs,
                data_samples: Optional[List[VideoDataSample]] = None) -> List[VideoDataSample]:
        """View-averaged predictions of inputs ``{name: (B, V, C, T, H, W)}``."""
        feats, num_views = self.embed_views(inputs)
        return self.predict_by_feat(feats, data_samples, num_views)

    def loss_and_predict(self, inputs: Inputs, data_samples: List[VideoDataSample]
                         ) -> Tuple[Dict[str, Tensor], List[VideoDataSample]]:
        """Losses and predictions from one run of the network (a validation loss for free).

        Args:
            inputs: Normalised clips ``{name: (B, V, C, T, H, W)}``.
            data_samples: B samples with ``gt_label``.

        Returns:
            What :meth:`loss` and :meth:`predict` return for the same inputs (in eval
            mode, equal to them); the predictions are written into ``data_samples``.
        """
        feats, num_views = self.embed_views(inputs)
        losses = self.loss_by_feat(feats, self.repeat_views(data_samples, num_views))
        return losses, self.predict_by_feat(feats, data_samples, num_views)

    def forward(self, inputs: Inputs, data_samples: Optional[List[VideoDataSample]] = None,
                mode: Literal['tensor', 'loss', 'predict'] = 'tensor'
                ) -> Union[Tensor, Dict[str, Tensor], List[VideoDataSample]]:
        """Dispatch to :meth:`_forward`, :meth:`loss` or :meth:`predict`.

        Args:
            inputs: Normalised clips ``{name: (B, V, C, T, H, W)}``, one per modality (the
                keys of ``PackVideoInputs``).
            data_samples: One ``VideoDataSample`` per video (needed for 'loss').
            mode: ``'tensor'`` returns raw head outputs (B * V, K); ``'loss'`` a dict of
                named losses; ``'predict'`` the data samples with view-averaged predictions.
        """
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f"mode must be 'tensor', 'loss' or 'predict', got {mode!r}")
