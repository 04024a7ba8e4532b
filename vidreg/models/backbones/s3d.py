"""S3D (Xie et al., ECCV 2018) built from torchvision's definition, with its parameter names."""
from typing import List, Optional, Sequence, Tuple

from torch import Tensor, nn
from torchvision.models.video import S3D_Weights
from torchvision.models.video import s3d as torchvision_s3d

from vidreg.models.layers import conv_in_channels, load_backbone_pretrained
from vidreg.registry import MODELS

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['S3D']

_FIRST_CONV = 'features.0.0.0.weight'  # the 1x7x7 convolution of the separable stem


@MODELS.register_module()
class S3D(BaseBackbone):
    """torchvision's ``s3d`` without its classifier: ``features`` (and optionally ``avgpool``).

    Parameter names and shapes equal torchvision's (``features.*``): its state dict loads
    with only ``classifier.*`` unused (``tools/convert_weights.py --from torchvision`` makes
    that 1x1x1 convolution the head's ``fc``). D = 1024.

    Stages (``out_stages``) for input (B, C, T, H, W), sizes rounded up:
    ``stem`` (separable 7x7x7 and 3x3x3 convolutions, two max pools) (B, 192, T/2, H/8, W/8);
    ``mixed3`` (B, 480, T/2, H/8, W/8); ``mixed4`` (B, 832, T/4, H/16, W/16); ``mixed5``
    (B, 1024, T/8, H/32, W/32); with ``avg_pool_kernel`` also ``avgpool`` (B, 1024,
    T/8 - kt + 1, H/32 - kh + 1, W/32 - kw + 1). T must be at least 9 (its last max pool
    needs 2 time steps). Expected input: RGB normalised with the Kinetics mean
    (0.43216, 0.394666, 0.37645) and std (0.22803, 0.22145, 0.216989); torchvision
    evaluates its weights on 128 frames at 15 fps, 224x224 crops of 256x256 frames.

    Args:
        in_channels: Input channels C (3 RGB, 2 flow fields, 1 gray); the stem's first
            convolution (``features.0.0.0``) reads C channels, and a pretrained RGB one is
            averaged over colour and replicated (:func:`vidreg.models.layers.adapt_input_conv`).
        avg_pool_kernel: None ends at ``mixed5``. ``(2, 7, 7)`` adds torchvision's
            stride-1 average pooling, which its classifier reads (a recognizer's
            ``TemporalAvgPool`` then gives torchvision's logits exactly; the converted
            checkpoint's config sets it, and it needs H, W >= 193 and T >= 9).
        pretrained: None, a local checkpoint path (a converted complete checkpoint gives its
            backbone part) or ``'S3D_Weights.KINETICS400_V1'`` / ``'KINETICS400_V1'``, read
            only from the local torch cache. Loaded by :meth:`init_weights`.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.
        frozen_stages: -1 nothing; k freezes ``stem`` and the next k stages.
        norm_eval: Keep all BatchNorms in eval mode while training.
        out_stages: Return ``{name: features}`` for these stages (shapes above).
    """

    def __init__(self, *, in_channels: int = 3,
                 avg_pool_kernel: Optional[Tuple[int, int, int]] = None,
                 pretrained: Optional[str] = None, pretrained_prefix: Optional[str] = None,
                 frozen_stages: int = -1, norm_eval: bool = False,
                 out_stages: Optional[Sequence[str]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, out_stages=out_stages)
        self.in_channels = in_channels
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        self.features = torchvision_s3d().features
        stem_conv = self.features[0][0][0]
        self.features[0][0][0] = conv_in_channels(stem_conv, in_channels)
        self.avgpool = None
        if avg_pool_kernel is not None:
            self.avgpool = nn.AvgPool3d(kernel_size=tuple(avg_pool_kernel), stride=1)
        self.out_channels = 1024
        self._setup_stages()

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        stages = [('stem', list(self.features[:5])), ('mixed3', list(self.features[5:7])),
                  ('mixed4', list(self.features[7:13])), ('mixed5', list(self.features[13:]))]
        if self.avgpool is not None:
            stages.append(('avgpool', [self.avgpool]))
        return stages

    def init_weights(self) -> None:
        """Load ``pretrained`` (if set); ``classifier.*`` is ignored, an RGB first convolution
        adapted to ``in_channels``."""
        load_backbone_pretrained(self, first_conv=_FIRST_CONV, weights_enum=S3D_Weights)

    def forward(self, x: Tensor) -> StageOutput:
        """Extract spatio-temporal features.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            ``mixed5`` features (B, 1024, T/8, H/32, W/32) (``avgpool`` ones with
            ``avg_pool_kernel``), or ``{name: features}`` for ``out_stages``.
        """
        return self.forward_stages(x)
