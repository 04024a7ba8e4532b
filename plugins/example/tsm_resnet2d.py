"""Temporal Shift Module (TSM) ResNet: a 2D ResNet that exchanges channels between frames.

Lin, Gan and Han, "TSM: Temporal Shift Module for Efficient Video Understanding", ICCV 2019.
Inside every residual block, before ``conv1``, 1/8 of the channels of each frame are
replaced by those of the next frame and 1/8 by those of the previous frame (zeros at the
clip ends). The identity path is not shifted ("residual shift"). The shift has no
parameters, so ImageNet weights of the plain ResNet load unchanged.
"""
from typing import Literal, Optional, Tuple

import torch
from torch import Tensor, nn

from vidreg.models.backbones import ResNet2D
from vidreg.registry import MODELS

__all__ = ['TSMResNet2D', 'temporal_shift']


def temporal_shift(x: Tensor, num_frames: int, shift_div: int = 8) -> Tensor:
    """Shift ``1 / shift_div`` of the channels one frame back and as many one frame forward.

    Args:
        x: Frame features with time folded into the batch, (B*T, D, H, W), frame-major
            within each clip (row ``b * T + t`` is frame ``t`` of clip ``b``).
        num_frames: T.
        shift_div: Channel fraction per direction is ``1 / shift_div``.

    Returns:
        Shifted features, (B*T, D, H, W). For ``fold = D // shift_div``: channels
        ``[0, fold)`` of frame t come from frame t + 1, channels ``[fold, 2 * fold)``
        from frame t - 1 (zeros where that frame does not exist), the rest are unchanged.
    """
    n, d, h, w = x.shape
    if n % num_frames:
        raise ValueError(f'temporal_shift: {n} images are not a multiple of T={num_frames}')
    x = x.reshape(n // num_frames, num_frames, d, h, w)  # (B, T, D, H, W)
    fold = d // shift_div
    out = torch.zeros_like(x)
    out[:, :-1, :fold] = x[:, 1:, :fold]  # from the next frame: information flows back in time
    out[:, 1:, fold:2 * fold] = x[:, :-1, fold:2 * fold]  # from the previous frame
    out[:, :, 2 * fold:] = x[:, :, 2 * fold:]
    return out.reshape(n, d, h, w)  # (B*T, D, H, W)


@MODELS.register_module()
class TSMResNet2D(ResNet2D):
    """torchvision ResNet-18/34/50 with a residual temporal shift in every block.

    Frames run as one image batch like :class:`~vidreg.models.backbones.ResNet2D` (T
    folded into B inside ``forward`` only). The backbone reads T from its input and
    the shift, a forward pre-hook on each block's ``conv1``, uses it; submodule and
    state-dict names stay torchvision's, so torchvision checkpoints load as they are.

    Args:
        depth: ResNet depth. D = 512 for 18 and 34, 2048 for 50.
        in_channels: Input channels C (2L for a stack of L flow fields); see
            :class:`~vidreg.models.backbones.ResNet2D` (a pretrained RGB ``conv1`` is
            averaged over colour and replicated).
        shift_div: Each direction shifts ``1 / shift_div`` of a block's input channels.
        pretrained: None, a local checkpoint path or a torchvision weights name, read
            with :func:`vidreg.utils.pretrained.load_pretrained` (never downloads) by
            ``init_weights()`` (inherited), which the Runner calls only before training
            from scratch.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.
        frozen_stages: -1 freezes nothing, 0 the stem, k in 1..4 the stem and
            ``layer1`` .. ``layer<k>``.
        norm_eval: Keep every BatchNorm in eval mode while training.
    """

    def __init__(self, *, depth: Literal[18, 34, 50] = 18, in_channels: int = 3,
                 shift_div: int = 8, pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None,
                 frozen_stages: int = -1, norm_eval: bool = False) -> None:
        # Frame chunks would cut clips apart, and the shift needs all T frames of a clip.
        super().__init__(depth=depth, in_channels=in_channels, pretrained=pretrained,
                         pretrained_prefix=pretrained_prefix,
                         frozen_stages=frozen_stages, norm_eval=norm_eval, frame_chunk=None)
        if shift_div < 2:
            raise ValueError(f'shift_div must be >= 2 (two shifted parts), got {shift_div}')
        self.shift_div = shift_div
        self._num_frames: Optional[int] = None
        for stage in (self.layer1, self.layer2, self.layer3, self.layer4):
            for block in stage:
                block.conv1.register_forward_pre_hook(self._shift_input)

    def _shift_input(self, module: nn.Module, args: Tuple[Tensor, ...]) -> Tuple[Tensor, ...]:
        if self._num_frames is None:
            raise RuntimeError('TSMResNet2D blocks run only inside TSMResNet2D.forward (T unknown)')
        return (temporal_shift(args[0], self._num_frames, self.shift_div), *args[1:])

    def forward(self, x: Tensor) -> Tensor:
        """Extract per-frame feature maps that mix neighbouring frames.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            Feature maps, (B, D, T, H', W') with H' = ceil(H / 32), W' = ceil(W / 32).
        """
        self._num_frames = x.shape[2]
        try:
            return super().forward(x)
        finally:
            self._num_frames = None
