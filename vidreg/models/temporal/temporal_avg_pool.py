"""Average over space and time: the order-blind TSN baseline."""
from torch import Tensor, nn

from vidreg.registry import MODELS

__all__ = ['TemporalAvgPool']


@MODELS.register_module()
class TemporalAvgPool(nn.Module):
    """Mean of the backbone features over H, W and T (TSN-style consensus).

    It ignores frame order, so it is the baseline that shows what a temporal
    model adds. It has no parameters.

    Args:
        in_channels: D, injected by the Recognizer; E = D.
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.out_channels = in_channels

    def forward(self, x: Tensor) -> Tensor:
        """Average over space and time.

        Args:
            x: Backbone features, (B, D, T, H, W).

        Returns:
            Clip embedding, (B, D).
        """
        if x.dim() != 5:
            raise ValueError(f'TemporalAvgPool expects (B, D, T, H, W), got shape '
                             f'{tuple(x.shape)}')
        return x.mean(dim=(2, 3, 4))
