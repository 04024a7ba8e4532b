"""Video Swin Transformer (Liu et al., CVPR 2022) built from torchvision's definition."""
from typing import List, Literal, Optional, Sequence, Tuple

from torch import Tensor, nn
from torchvision.models.video import Swin3D_B_Weights, Swin3D_S_Weights, Swin3D_T_Weights
from torchvision.models.video.swin_transformer import SwinTransformer3d
from torchvision.ops.misc import Permute

from vidreg.models.layers import conv_in_channels, load_backbone_pretrained
from vidreg.registry import MODELS

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['SwinTransformer3D']

Arch = Literal['t', 's', 'b']
# torchvision's swin3d_t / _s / _b: embed_dim, depths, num_heads (patch 2x4x4, window 8x7x7).
_ARCHS = {'t': (96, (2, 2, 6, 2), (3, 6, 12, 24)), 's': (96, (2, 2, 18, 2), (3, 6, 12, 24)),
          'b': (128, (2, 2, 18, 2), (4, 8, 16, 32))}
_WEIGHTS = {'t': Swin3D_T_Weights, 's': Swin3D_S_Weights, 'b': Swin3D_B_Weights}


@MODELS.register_module()
class SwinTransformer3D(BaseBackbone):
    """torchvision's ``swin3d_t`` / ``_s`` / ``_b`` without its head, features channels-first.

    Parameter names and shapes equal torchvision's (``patch_embed.*``, ``features.*``,
    ``norm.*``): its state dict loads with only ``head.*`` unused (``tools/convert_weights.py
    --from torchvision`` makes it the head's ``fc``). Inside, tokens are (B, T, H, W, D) as in
    torchvision; every stage returns (B, D, T, H, W). D = 8 * ``embed_dim`` (768 for T and S,
    1024 for B).

    Stages (``out_stages``) for input (B, C, T, H, W), E = ``embed_dim``, sizes rounded up
    (torchvision pads): ``patch_embed`` (B, E, T/2, H/4, W/4); ``stage1`` (B, E, T/2, H/4,
    W/4); ``stage2`` (B, 2E, T/2, H/8, W/8); ``stage3`` (B, 4E, T/2, H/16, W/16);
    ``stage4`` (B, 8E, T/2, H/32, W/32), after the final LayerNorm (``norm``). Any T, H, W
    work (windows are clipped to the feature size). Expected input: RGB normalised with the
    ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225); torchvision evaluates
    its Kinetics-400 weights on 32 frames at 15 fps, 224x224 crops of short side 256.

    Args:
        arch: ``'t'``, ``'s'`` or ``'b'``: torchvision's sizes (embed_dim, depths, heads).
        in_channels: Input channels C; the patch embedding (``patch_embed.proj``) reads C
            channels, and a pretrained RGB one is averaged over colour and replicated.
        embed_dim: Overrides the arch's E (a tiny model for tests; weights need the arch's).
        depths: Overrides the blocks per stage.
        num_heads: Overrides the attention heads per stage (each must divide its width).
        window_size: Attention window (T, H, W) in tokens.
        drop_path: Stochastic depth rate of the last block, rising linearly from 0
            (torchvision's ``stochastic_depth_prob``, 0.1 in its builders).
        pretrained: None, a local checkpoint path (a converted complete checkpoint gives its
            backbone part) or a torchvision weights name of this arch
            (``'Swin3D_T_Weights.KINETICS400_V1'``, or just ``'KINETICS400_V1'``), read only
            from the local torch cache. Loaded by :meth:`init_weights`.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.
        frozen_stages: -1 nothing; k freezes ``patch_embed`` and ``stage1`` .. ``stage<k>``.
        norm_eval: Keep BatchNorms in eval mode (Swin has LayerNorms only: no effect).
        out_stages: Return ``{name: features}`` for these stages (shapes above).
    """

    def __init__(self, *, arch: Arch = 't', in_channels: int = 3,
                 embed_dim: Optional[int] = None, depths: Optional[Sequence[int]] = None,
                 num_heads: Optional[Sequence[int]] = None,
                 window_size: Tuple[int, int, int] = (8, 7, 7), drop_path: float = 0.1,
                 pretrained: Optional[str] = None, pretrained_prefix: Optional[str] = None,
                 frozen_stages: int = -1, norm_eval: bool = False,
                 out_stages: Optional[Sequence[str]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, out_stages=out_stages)
        if arch not in _ARCHS:
            raise ValueError(f"arch must be 't', 's' or 'b', got {arch!r}")
        arch_dim, arch_depths, arch_heads = _ARCHS[arch]
        self.arch, self.in_channels = arch, in_channels
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        definition = SwinTransformer3d(
            patch_size=[2, 4, 4], embed_dim=embed_dim or arch_dim,
            depths=list(depths or arch_depths), num_heads=list(num_heads or arch_heads),
            window_size=list(window_size), stochastic_depth_prob=drop_path)
        self.patch_embed = definition.patch_embed
        self.patch_embed.proj = conv_in_channels(self.patch_embed.proj, in_channels)
        self.pos_drop = definition.pos_drop
        self.features = definition.features  # blocks, merging, blocks, ... (B, T, H, W, D)
        self.norm = definition.norm
        self.out_channels = definition.num_features
        self.to_channels_first = Permute([0, 4, 1, 2, 3])  # (B, T, H, W, D) -> (B, D, T, H, W)
        self.to_channels_last = Permute([0, 2, 3, 4, 1])  # (B, D, T, H, W) -> (B, T, H, W, D)
        self._setup_stages()

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        first, last = self.to_channels_first, self.to_channels_last
        blocks = list(self.features)  # stage1, merge, stage2, merge, stage3, merge, stage4
        stages = [('patch_embed', [self.patch_embed, self.pos_drop, first])]
        for index in range(4):
            modules = blocks[max(0, 2 * index - 1):2 * index + 1]
            if index == 3:
                modules.append(self.norm)
            stages.append((f'stage{index + 1}', [last, *modules, first]))
        return stages

    def init_weights(self) -> None:
        """Load ``pretrained`` (if set); ``head.*`` is ignored, an RGB ``patch_embed.proj``
        adapted to ``in_channels``."""
        load_backbone_pretrained(self, first_conv='patch_embed.proj.weight',
                                 weights_enum=_WEIGHTS[self.arch])

    def forward(self, x: Tensor) -> StageOutput:
        """Extract spatio-temporal features.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            ``stage4`` features (B, 8E, T/2, H/32, W/32), or ``{name: features}`` for
            ``out_stages`` (shapes in the class docstring).
        """
        return self.forward_stages(x)
