"""Ordinal head (CORN): K ordered levels from K - 1 conditional "above level k" logits."""
from typing import Union

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from vidreg.registry import MODELS

from .base_head import BaseHead
from .cls_head import ClsHead


def level_probabilities(logits: Tensor) -> Tensor:
    """CORN's conditional logits -> the probability of each level.

    ``P(y > k) = prod_{j <= k} sigmoid(logit_j)`` (the chain rule over the conditional
    tasks; computed as ``exp(cumsum(logsigmoid))``, which ONNX exports), so
    ``P(y > k)`` never rises with k (rank-consistent) and each level's probability
    ``P(y > k - 1) - P(y > k)`` is non-negative; they sum to 1.

    Args:
        logits: Conditional logits, (B, K - 1).

    Returns:
        Level probabilities, (B, K).
    """
    exceeds = F.logsigmoid(logits).cumsum(dim=1).exp()  # (B, K - 1): P(y > k)
    ones, zeros = torch.ones_like(exceeds[:, :1]), torch.zeros_like(exceeds[:, :1])  # (B, 1)
    upper = torch.cat([ones, exceeds, zeros], dim=1)  # (B, K + 1): P(y > k - 1), k = 0 .. K
    return upper[:, :-1] - upper[:, 1:]  # (B, K)


@MODELS.register_module()
class CORNHead(ClsHead):
    """``(B, E) -> (B, K - 1)`` conditional logits of K ordered levels (CORN).

    An alternative to :class:`ClsHead` (levels as unordered classes) and :class:`RegHead`
    (levels as a number) on data with integer levels 0 .. K - 1 such as DAiSEE's
    engagement. Task k of its linear layer predicts ``P(y > k | y > k - 1)``
    (:class:`~vidreg.models.losses.CORNLoss` trains each on the samples it concerns), and
    :func:`level_probabilities` chains them into one probability per level, which every
    consumer of a classifier reads unchanged: ``pred_score`` (K,), ``pred_label`` (the most
    probable level), accuracy, ``--dump``, inference and the exported graph.

    CORN rather than CORAL: CORAL shares one weight vector between the K - 1 thresholds
    (only the biases differ), which needs a custom layer and limits what each threshold
    can use; CORN keeps a plain linear layer with one row per task and is still rank
    consistent through the chain rule; its authors report lower MAE than CORAL on every
    benchmark they tried.

    The data is classification data (integer levels), so the head declares
    ``task = 'classification'``: the task check and the label-range check treat it as a
    classifier with ``num_classes`` levels. What is ordinal is the loss and the output's
    structure; ``OrdinalMetric`` reports QWK and MAE in levels.

    Args:
        in_channels: Embedding size E (injected by the Recognizer).
        num_classes: Number of levels K (at least 2).
        dropout: Dropout probability before the linear layer.
        loss: Loss config (default ``CORNLoss``), of the logits (B, K - 1) and levels (B,).
        loss_name: Key of the loss in the losses dict (see :class:`BaseHead`).
    """

    def __init__(self, *, in_channels: int, num_classes: int, dropout: float = 0.0,
                 loss: Union[dict, nn.Module, None] = None, loss_name: str = 'loss_cls') -> None:
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f'CORNHead needs num_classes >= 2 ordered levels, got '
                             f'{num_classes!r}.')
        BaseHead.__init__(self, in_channels=in_channels, out_channels=num_classes - 1,
                          dropout=dropout, loss=loss or dict(type='CORNLoss'),
                          loss_name=loss_name)
        self.num_classes = num_classes

    def activate(self, outputs: Tensor) -> Tensor:
        """Conditional logits (B, K - 1) -> level probabilities (B, K)."""
        return level_probabilities(outputs)
