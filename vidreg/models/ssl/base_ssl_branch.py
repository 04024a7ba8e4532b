"""The contract of an auxiliary (self-supervised) branch of a :class:`MultiTaskRecognizer`."""
from typing import Callable, Optional

from torch import Tensor, nn

__all__ = ['BaseSSLBranch', 'Trunk']

# Maps features of the branch's ``stage`` (N, D_s, T_s, H_s, W_s) through the rest of the
# shared trunk (the later backbone stages and the temporal module) to embeddings (N, E).
Trunk = Callable[[Tensor], Tensor]


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
            trunk: The shared upper trunk, ``feats -> (N, E)`` (see :data:`Trunk`).
            clips: The normalised input clips, (N, C, T, H, W).

        Returns:
            A scalar.
        """
        raise NotImplementedError
