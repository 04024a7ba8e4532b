"""torchvision ResNet-18/34/50 applied to every frame of a clip."""
from typing import Literal, Optional

from torch import Tensor, nn
from torchvision.models import (
    ResNet18_Weights,
    ResNet34_Weights,
    ResNet50_Weights,
    resnet18,
    resnet34,
    resnet50,
)

from vidreg.models.layers import frame_wise
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained

__all__ = ['ResNet2D']

# depth -> (torchvision builder, its weights enum, channels of layer4)
_ARCHS = {
    18: (resnet18, ResNet18_Weights, 512),
    34: (resnet34, ResNet34_Weights, 512),
    50: (resnet50, ResNet50_Weights, 2048),
}
_STAGES = ('layer1', 'layer2', 'layer3', 'layer4')


@MODELS.register_module()
class ResNet2D(nn.Module):
    """Per-frame torchvision ResNet: feature maps of ``layer4`` for every frame.

    The frames of all clips run as one image batch (T folded into B inside
    ``forward`` only). Submodule names are torchvision's (``conv1``, ``bn1``,
    ``layer1`` ... ``layer4``; no ``fc``), so torchvision state dicts load as they are.

    Args:
        depth: ResNet depth. D = 512 for 18 and 34, 2048 for 50.
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
            ``requires_grad=False`` and frozen BatchNorms stay in eval mode.
        norm_eval: Keep every BatchNorm in eval mode (running statistics used and
            not updated) while the model trains.
        frame_chunk: Run at most this many frames per call (see
            :func:`vidreg.models.layers.frame_wise`); None runs all B*T at once.
    """

    def __init__(self, *, depth: Literal[18, 34, 50] = 18, pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None, frozen_stages: int = -1,
                 norm_eval: bool = False, frame_chunk: Optional[int] = None) -> None:
        super().__init__()
        if depth not in _ARCHS:
            raise ValueError(f'depth must be one of {sorted(_ARCHS)}, got {depth!r}')
        if not -1 <= frozen_stages <= len(_STAGES):
            raise ValueError(f'frozen_stages must be in -1..{len(_STAGES)}, got {frozen_stages}')
        builder, weights_enum, self.out_channels = _ARCHS[depth]
        net = builder(weights=None)
        self.conv1, self.bn1, self.relu, self.maxpool = net.conv1, net.bn1, net.relu, net.maxpool
        self.layer1, self.layer2, self.layer3, self.layer4 = (
            net.layer1, net.layer2, net.layer3, net.layer4)
        self.depth = depth
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.frame_chunk = frame_chunk
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        self._weights_enum = weights_enum
        self._freeze_stages()

    def init_weights(self) -> None:
        """Load ``pretrained`` (if any) over the constructor's random weights."""
        if self.pretrained is not None:
            load_pretrained(self, self.pretrained, prefix=self.pretrained_prefix,
                            weights_enum=self._weights_enum)

    def _frozen_modules(self) -> list:
        if self.frozen_stages < 0:
            return []
        stem = [self.conv1, self.bn1]
        return stem + [getattr(self, name) for name in _STAGES[:self.frozen_stages]]

    def _freeze_stages(self) -> None:
        for module in self._frozen_modules():
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'ResNet2D':
        """Set train mode, keeping frozen stages (and all BatchNorms if ``norm_eval``) in eval."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, nn.modules.batchnorm._BatchNorm):
                    module.eval()
        return self

    def _forward_images(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))  # (N, 64, H/4, W/4)
        x = self.layer2(self.layer1(x))  # (N, 128 or 512, H/8, W/8)
        return self.layer4(self.layer3(x))  # (N, D, H/32, W/32)

    def forward(self, x: Tensor) -> Tensor:
        """Extract per-frame feature maps.

        Args:
            x: Clips, (B, C=3, T, H, W).

        Returns:
            Feature maps, (B, D, T, H', W') with H' = ceil(H / 32), W' = ceil(W / 32).
        """
        return frame_wise(self._forward_images, x, frame_chunk=self.frame_chunk)
