"""A few strided 2D convolutions applied to every frame: a backbone for fast CPU tests and demos."""
from functools import partial
from typing import Optional, Sequence

from torch import Tensor, nn

from vidreg.models.layers import adapt_input_conv, frame_wise
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained

__all__ = ['TinyConv2D']


@MODELS.register_module()
class TinyConv2D(nn.Module):
    """Per-frame stack of ``Conv2d(3x3, stride 2) -> BatchNorm2d -> ReLU`` layers.

    Args:
        in_channels: Image channels C (2L for a stack of L flow fields); a pretrained
            first layer with other channels is averaged over them and replicated
            (:func:`vidreg.models.layers.adapt_input_conv`).
        channels: Output channels of each layer; D = ``channels[-1]``. Each layer
            halves H and W.
        pretrained: None or a local checkpoint path of this module (see
            :func:`vidreg.utils.pretrained.load_pretrained`), loaded by
            :meth:`init_weights`, not by the constructor.
        frame_chunk: Frames per call (see :func:`vidreg.models.layers.frame_wise`);
            None runs all B*T at once.
    """

    def __init__(self, *, in_channels: int = 3, channels: Sequence[int] = (8, 16),
                 pretrained: Optional[str] = None, frame_chunk: Optional[int] = None) -> None:
        super().__init__()
        if not channels:
            raise ValueError('channels must name at least one layer')
        self.in_channels = in_channels
        layers = []
        for out_channels in channels:
            layers += [nn.Conv2d(in_channels, out_channels, 3, stride=2, padding=1, bias=False),
                       nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]
            in_channels = out_channels
        self.layers = nn.Sequential(*layers)
        self.out_channels = int(channels[-1])
        self.frame_chunk = frame_chunk
        self.pretrained = pretrained

    def init_weights(self) -> None:
        """Load ``pretrained`` (if any) over the constructor's random weights."""
        if self.pretrained is not None:
            load_pretrained(self, self.pretrained,
                            convert=partial(adapt_input_conv, key='layers.0.weight',
                                            in_channels=self.in_channels))

    def forward(self, x: Tensor) -> Tensor:
        """Extract per-frame feature maps.

        Args:
            x: Clips, (B, C, T, H, W).

        Returns:
            Feature maps, (B, D, T, H', W') with H' = ceil(H / 2**len(channels)).
        """
        return frame_wise(self.layers, x, frame_chunk=self.frame_chunk)
