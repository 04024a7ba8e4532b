"""The contract of an auxiliary (self-supervised) branch of a :class:`MultiTaskRecognizer`."""
from typing import Callable, NamedTuple, Optional

from torch import Tensor, nn

__all__ = ['BaseSSLBranch', 'Trunk']


class Trunk(NamedTuple):
    """The shared network around a branch's ``stage``, as two callables.

    Calling the trunk runs its upper part (``trunk(feats) == trunk.upper(feats)``).

    Attributes:
        lower: Clips (N, C, T, H, W) -> features of the stage (N, D_s, T_s, H_s, W_s): the
            backbone up to ``stage``, included (the identity for ``stage=None``).
        upper: Features of the stage (N, D_s, T_s, H_s, W_s) -> embeddings (N, E): the later
            backbone stages and the temporal module.
    """

    lower: Callable[[Tensor], Tensor]
    upper: Callable[[Tensor], Tensor]

    def __call__(self, feats: Tensor) -> Tensor:
        """The upper trunk: (N, D_s, T_s, H_s, W_s) -> (N, E)."""
        return self.upper(feats)


class BaseSSLBranch(nn.Module):
    """A branch that adds one named loss during training only.

    The recognizer runs the backbone up to ``stage`` once, then calls
    ``forward(stage_feats, trunk, clips)`` and stores ``loss_weight * loss`` under
    ``loss_<name>`` (``<name>`` is the branch's key in ``branches``). The branch's own
    parameters (heads, projections) live under ``branches.<name>.`` in checkpoints,
    which the plain :class:`Recognizer` does not have (see ``MultiTaskRecognizer``).

    Args:
        stage: Backbone stage whose output the branch reads (``'layer3'``), or None for
            the input clips (N, C, T, H, W).
        loss_weight: Multiplier of the branch's loss in the total.
    """

    def __init__(self, *, stage: Optional[str], loss_weight: float) -> None:
        super().__init__()
        self.stage = stage
        self.loss_weight = loss_weight

    def forward(self, feats: Tensor, trunk: Trunk, clips: Tensor) -> Tensor:
        """The branch's unweighted loss.

        Args:
            feats: Output of ``stage`` (N, D_s, T_s, H_s, W_s), or the clips (N, C, T, H, W).
            trunk: The shared trunk below and above ``stage`` (see :class:`Trunk`).
            clips: The normalised input clips, (N, C, T, H, W).

        Returns:
            A scalar.
        """
        raise NotImplementedError
