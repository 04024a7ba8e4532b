"""Late fusion of the class scores of several streams: a weighted average or a learned layer."""
from typing import Literal, Optional, Sequence

import torch
from torch import Tensor

from vidreg.registry import MODELS

from .cls_head import ClsHead


@MODELS.register_module()
class LateFusionHead(ClsHead):
    """``(B, E) -> (B, K)`` with E = S * K: the logits of S streams (concatenated) -> fused logits.

    Both modes start from the same linear layer ``fc`` over the S streams' scores,
    initialised to the weighted mean with ``weights`` (``w_s / sum(w)`` on each
    stream's own class, 0 elsewhere, no bias):

    - ``'average'`` (fixed, nothing to train): ``log(sum_s w_s softmax(z_s) / sum w)``,
      the log of the weighted average of the streams' softmax scores (two-stream's
      standard fusion; MMAction2 users weight RGB:flow about 1:1.5). As logits its
      softmax is that average, so prediction averages the scores and the
      cross-entropy of joint training is the fused score's.
    - ``'learned'``: ``fc`` over the streams' log-softmax scores, trained: a per-class
      weighting of the streams, starting as the weighted geometric mean (seed 004's
      FuseNet read the softmax scores; log scores keep the logits' scale, so the layer
      needs no warm-up from flat outputs).

    Args:
        in_channels: S * K (injected by ``LateFusionRecognizer``).
        num_classes: K (injected by ``LateFusionRecognizer`` from its streams).
        mode: ``'average'`` or ``'learned'``.
        weights: One weight per stream, in the order of the streams (default equal). In
            ``'average'`` mode they are always the config's, also when a checkpoint is
            loaded (its stored ``fc`` is replaced by them); ``'learned'`` starts from them.
        loss: Loss config (default ``CrossEntropyLoss``) of the fused logits.
        loss_name: Key of the fused loss.
    """

    def __init__(self, *, in_channels: int, num_classes: int,
                 mode: Literal['average', 'learned'] = 'average',
                 weights: Optional[Sequence[float]] = None, loss: Optional[dict] = None,
                 loss_name: str = 'loss_cls') -> None:
        if mode not in ('average', 'learned'):
            raise ValueError(f"mode must be 'average' or 'learned', got {mode!r}")
        if in_channels % num_classes:
            raise ValueError(f'LateFusionHead: in_channels={in_channels} is not a whole number '
                             f'of streams of num_classes={num_classes} scores.')
        num_streams = in_channels // num_classes
        weights = [1.0] * num_streams if weights is None else [float(w) for w in weights]
        if len(weights) != num_streams or min(weights) < 0 or sum(weights) <= 0:
            raise ValueError(f'LateFusionHead: weights must be {num_streams} non-negative '
                             f'numbers (one per stream) with a positive sum, got {weights}.')
        super().__init__(in_channels=in_channels, num_classes=num_classes, loss=loss,
                         loss_name=loss_name)
        self.mode, self.weights, self.num_streams = mode, tuple(weights), num_streams
        self._set_weighted_mean()
        if mode == 'average':
            self.fc.requires_grad_(False)
            # Fixed weights are the config's: a checkpoint's copy of them (saved with the
            # model) must not override --cfg-options fusion_weights=... when it is loaded.
            self.register_load_state_dict_post_hook(
                lambda module, incompatible_keys: module._set_weighted_mean())

    @torch.no_grad()
    def _set_weighted_mean(self) -> None:
        """Set ``fc`` to the weighted mean of the streams: ``w_s / sum(w)`` on each
        stream's own class, 0 elsewhere, no bias."""
        k, total = self.num_classes, sum(self.weights)
        self.fc.weight.zero_()
        self.fc.bias.zero_()
        for s, weight in enumerate(self.weights):
            self.fc.weight[:, s * k:(s + 1) * k] = torch.eye(k) * (weight / total)

    def forward(self, x: Tensor) -> Tensor:
        """Fuse the streams' scores.

        Args:
            x: The S streams' logits concatenated, (B, E) with E = S * K.

        Returns:
            Fused logits (B, K); their softmax is the fused score.
        """
        scores = x.reshape(x.shape[0], self.num_streams, self.num_classes)  # (B, S, K)
        if self.mode == 'average':
            fused = self.fc(scores.softmax(dim=-1).flatten(1))  # (B, K), sums to 1
            return fused.clamp_min(torch.finfo(fused.dtype).tiny).log()
        return self.fc(scores.log_softmax(dim=-1).flatten(1))

