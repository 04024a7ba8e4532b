"""torchvision ResNet-18/34/50 applied to every frame of a clip."""
from functools import partial
from typing import List, Literal, Optional, Sequence, Tuple

from torch import Tensor, nn
from torchvision.models import (
    ResNet18_Weights,
    ResNet34_Weights,
    ResNet50_Weights,
    resnet18,
    resnet34,
    resnet50,
)

from vidreg.models.layers import adapt_input_conv, frame_wise
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['ResNet2D']

# depth -> (torchvision builder, its weights enum, channels of layer4)
_ARCHS = {
    18: (resnet18, ResNet18_Weights, 512),
    34: (resnet34, ResNet34_Weights, 512),
    50: (resnet50, ResNet50_Weights, 2048),
}


@MODELS.register_module()
class ResNet2D(BaseBackbone):
    """Per-frame torchvision ResNet: feature maps of ``layer4`` for every frame.

    The frames of all clips run as one image batch (T folded into B inside
    ``forward`` only). Submodule names are torchvision's (``conv1``, ``bn1``,
    ``layer1`` ... ``layer4``; no ``fc``), so torchvision state dicts load as they are.

    Args:
        depth: ResNet depth. D = 512 for 18 and 34, 2048 for 50.
        in_channels: Input channels C: 3 for RGB (or SG3I), 2L for a stack of L flow
            fields (``FramesToChannels``), 1 for gray. With C != 3, ``conv1`` gets C input
            channels and a pretrained RGB ``conv1`` is averaged over colour and
            replicated C times when loaded (:func:`vidreg.models.layers.adapt_input_conv`).
        pretrained: None (random init), a local checkpoint path (torchvision state
            dict, or a dict holding one under ``'state_dict'`` / ``'model'``), or a
            torchvision weights name (``'ResNet18_Weights.IMAGENET1K_V1'``,
            ``'IMAGENET1K_V1'``, ``'DEFAULT'``) read only from the local torch hub
            cache; see :func:`vidreg.utils.pretrained.load_pretrained`. Never downloads.
            Loaded by :meth:`init_weights` (the Runner calls it only before training
            from scratch), never by the constructor: a model built to test or infer
            from a checkpoint does not need this file.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped
            (e.g. ``'backbone.'`` for a vidreg recognizer checkpoint).
        frozen_stages: -1 freezes nothing, 0 the stem (``conv1``, ``bn1``), k in
            1..4 the stem and ``layer1`` .. ``layer<k>``. Frozen parameters get
            ``requires_grad=False`` and frozen BatchNorms stay in eval mode
            (:class:`BaseBackbone`).
        norm_eval: Keep every BatchNorm in eval mode (running statistics used and
            not updated) while the model trains.
        out_stages: Return ``{name: features}`` for these stages instead of the
            ``layer4`` tensor. Stages (channels for depth 18/34 | 50, sizes rounded up):
            ``stem`` (B, 64, T, H/4, W/4); ``layer1`` (B, 64|256, T, H/4, W/4);
            ``layer2`` (B, 128|512, T, H/8, W/8); ``layer3`` (B, 256|1024, T, H/16, W/16);
            ``layer4`` (B, 512|2048, T, H/32, W/32).
        frame_chunk: Run at most this many frames per call (see
            :func:`vidreg.models.layers.frame_wise`); None runs all B*T at once.
    """

    def __init__(self, *, depth: Literal[18, 34, 50] = 18, in_channels: int = 3,
                 pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None, frozen_stages: int = -1,
                 norm_eval: bool = False, out_stages: Optional[Sequence[str]] = None,
                 frame_chunk: Optional[int] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, out_stages=out_stages)
        if depth not in _ARCHS:
            raise ValueError(f'depth must be one of {sorted(_ARCHS)}, got {depth!r}')
        builder, weights_enum, self.out_channels = _ARCHS[depth]
        net = builder(weights=None)
        if in_channels != 3:
            net.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
        self.in_channels = in_channels
        self.conv1, self.bn1, self.relu, self.maxpool = net.conv1, net.bn1, net.relu, net.maxpool
        self.layer1, self.layer2, self.layer3, self.layer4 = (
            net.layer1, net.layer2, net.layer3, net.layer4)
        self.depth = depth
        self.frame_chunk = frame_chunk
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        self._weights_enum = weights_enum
        self._setup_stages()

    def init_weights(self) -> None:
        """Load ``pretrained`` (if any) over the constructor's random weights."""
        if self.pretrained is not None:
            load_pretrained(self, self.pretrained, prefix=self.pretrained_prefix,
                            weights_enum=self._weights_enum,
                            convert=partial(adapt_input_conv, key='conv1.weight',
                                            in_channels=self.in_channels))

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        return [('stem', [self.conv1, self.bn1, self.relu, self.maxpool]),
                ('layer1', [self.layer1]), ('layer2', [self.layer2]),
                ('layer3', [self.layer3]), ('layer4', [self.layer4])]

    def forward(self, x: Tensor) -> StageOutput:
        """Extract per-frame feature maps.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            Feature maps, (B, D, T, H', W') with H' = ceil(H / 32), W' = ceil(W / 32);
            with ``out_stages``, ``{name: (B, D_s, T, H_s, W_s)}`` (see the class docstring).
        """
        return frame_wise(self.forward_stages, x, frame_chunk=self.frame_chunk)

    def forward_between(self, x: Tensor, *, after: Optional[str] = None,
                        until: Optional[str] = None) -> Tensor:
        """See :meth:`BaseBackbone.forward_between`; frames (B, D_s, T, H_s, W_s) in and out."""
        return frame_wise(partial(self._run_between, after=after, until=until), x,
                          frame_chunk=self.frame_chunk)
