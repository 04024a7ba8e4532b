"""Multiscale Vision Transformers v1-B and v2-S (Fan et al. 2021; Li et al. 2022), built from
torchvision's definition with its parameter names."""
from typing import List, Literal, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.models.video import MViT_V1_B_Weights, MViT_V2_S_Weights
from torchvision.models.video.mvit import MSBlockConfig
from torchvision.models.video.mvit import MViT as TorchvisionMViT

from vidreg.models.layers import conv_in_channels, load_backbone_pretrained
from vidreg.registry import MODELS

__all__ = ['MViT']

Arch = Literal['v1_b', 'v2_s']
_DEPTHS = (1, 2, 11, 2)  # blocks per scale, both archs
# residual_pool, rel_pos_embed, proj_after_attn, as torchvision's mvit_v1_b / mvit_v2_s build them.
_FLAGS = {'v1_b': (False, False, False), 'v2_s': (True, True, True)}
_WEIGHTS = {'v1_b': MViT_V1_B_Weights, 'v2_s': MViT_V2_S_Weights}


def _block_setting(arch: Arch, embed_dim: int) -> List[MSBlockConfig]:
    """torchvision's block configuration of ``arch`` with widths scaled to ``embed_dim``.

    Four scales of 1, 2, 11 and 2 blocks, widths E, 2E, 4E, 8E with 1, 2, 4, 8 heads; the
    first block of each later scale pools queries by (1, 2, 2); keys and values are pooled by
    (1, 8, 8) in the first scale, halved at each later one. v2-S widens in the first block of a
    scale (and pools queries everywhere with a 3x3x3 kernel); v1-B in the last block of the
    scale before, and pools queries only where it strides.
    """
    blocks, kv_stride = [], 8
    for scale, depth in enumerate(_DEPTHS):
        width = embed_dim * 2 ** scale
        for index in range(depth):
            first = index == 0 and scale > 0
            kv_stride = max(kv_stride // 2, 1) if first else kv_stride
            if arch == 'v2_s':
                widths = (width // 2 if first else width, width)
                kernel_q, stride_q = [3, 3, 3], [1, 2, 2] if first else [1, 1, 1]
            else:
                widths = (width, 2 * width if index == depth - 1 and scale < 3 else width)
                kernel_q, stride_q = ([3, 3, 3], [1, 2, 2]) if first else ([], [])
            blocks.append(MSBlockConfig(num_heads=2 ** scale, input_channels=widths[0],
                                        output_channels=widths[1], kernel_q=kernel_q,
                                        kernel_kv=[3, 3, 3], stride_q=stride_q,
                                        stride_kv=[1, kv_stride, kv_stride]))
    return blocks


@MODELS.register_module()
class MViT(nn.Module):
    """torchvision's ``mvit_v1_b`` / ``mvit_v2_s`` without its head.

    Parameter names and shapes equal torchvision's (``conv_proj.*``, ``pos_encoding.*``,
    ``blocks.*``, ``norm.*``): its state dict loads with only ``head.*`` unused
    (``tools/convert_weights.py --from torchvision`` makes ``head.1`` the head's ``fc``).
    D = 8 * ``embed_dim`` (768).

    The patch embedding (3x7x7, stride (2, 4, 4)) gives T' = T/2, H' = H/4, W' = W/4 tokens
    (rounded down), pooled to T/2 x H/32 x W/32 by the last scale. The size is fixed at
    construction (``temporal_size``, ``spatial_size``: the position embeddings' shapes, 16 x
    224 x 224 for torchvision's weights). Another input size works: v1-B's absolute position
    embeddings are interpolated to it (trilinearly over (T', H', W')), v2-S's relative ones
    are interpolated by torchvision itself; H and W must be multiples of 32 and T even (else a
    ``ValueError`` says so). Expected input: RGB normalised with mean (0.45, 0.45, 0.45) and
    std (0.225, 0.225, 0.225); torchvision evaluates its weights on 16 frames at 7.5 fps,
    224x224 crops of short side 256.

    Args:
        arch: ``'v1_b'`` or ``'v2_s'``.
        in_channels: Input channels C; the patch embedding (``conv_proj``) reads C channels,
            and a pretrained RGB one is averaged over colour and replicated.
        embed_dim: Width E of the first scale (96 for torchvision's weights; a multiple of 8).
        spatial_size: (H, W) the model is built for.
        temporal_size: T the model is built for.
        drop_path: Stochastic depth rate of the last block, rising linearly from 0
            (torchvision's ``stochastic_depth_prob``, 0.2 in its builders).
        output: ``'class_token'`` (what torchvision's head reads): the normalised class
            token as (B, D, 1, 1, 1); ``'patch_tokens'``: the normalised patch tokens as
            (B, D, T/2, H/32, W/32), e.g. for a temporal module that reads time.
        pretrained: None, a local checkpoint path (a converted complete checkpoint gives its
            backbone part) or a torchvision weights name of this arch
            (``'MViT_V2_S_Weights.KINETICS400_V1'``, or just ``'KINETICS400_V1'``), read only
            from the local torch cache. Loaded by :meth:`init_weights`.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.

    MViT has no ``out_stages``: its blocks pass (tokens, sizes) pairs, not feature maps.
    Its ONNX graph takes the clip length it was exported at (``fixed_clip_length``): the
    exporters bake the position embeddings' sizes in.
    """

    fixed_clip_length = True  # read by vidreg.apis.onnx_export

    def __init__(self, *, arch: Arch = 'v2_s', in_channels: int = 3, embed_dim: int = 96,
                 spatial_size: Tuple[int, int] = (224, 224), temporal_size: int = 16,
                 drop_path: float = 0.2,
                 output: Literal['class_token', 'patch_tokens'] = 'class_token',
                 pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None) -> None:
        super().__init__()
        if arch not in _FLAGS:
            raise ValueError(f"arch must be 'v1_b' or 'v2_s', got {arch!r}")
        if output not in ('class_token', 'patch_tokens'):
            raise ValueError(f"output must be 'class_token' or 'patch_tokens', got {output!r}")
        residual_pool, rel_pos_embed, proj_after_attn = _FLAGS[arch]
        self.arch, self.in_channels, self.output = arch, in_channels, output
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        definition = TorchvisionMViT(
            spatial_size=tuple(spatial_size), temporal_size=temporal_size,
            block_setting=_block_setting(arch, embed_dim), residual_pool=residual_pool,
            residual_with_cls_embed=False, rel_pos_embed=rel_pos_embed,
            proj_after_attn=proj_after_attn, stochastic_depth_prob=drop_path)
        self.conv_proj = conv_in_channels(definition.conv_proj, in_channels)
        self.pos_encoding = definition.pos_encoding
        self.blocks = definition.blocks
        self.norm = definition.norm
        self.out_channels = 8 * embed_dim

    def init_weights(self) -> None:
        """Load ``pretrained`` (if set); ``head.*`` is ignored, an RGB ``conv_proj`` adapted to
        ``in_channels``."""
        load_backbone_pretrained(self, first_conv='conv_proj.weight',
                                 weights_enum=_WEIGHTS[self.arch])

    def _check_size(self, x: Tensor) -> None:
        t, h, w = x.shape[2:]
        if h % 32 or w % 32 or t % 2:
            raise ValueError(f'MViT takes clips whose H and W are multiples of 32 and T is even '
                             f'(built for {self.pos_encoding.temporal_size * 2} x '
                             f'{self.pos_encoding.spatial_size[0] * 4} x '
                             f'{self.pos_encoding.spatial_size[1] * 4}), got T, H, W = '
                             f'{t}, {h}, {w}: crop or sample to such a size.')

    def _add_positions(self, x: Tensor, thw: Tuple[int, int, int]) -> Tensor:
        """Class token and position embeddings: (B, L, D0) -> (B, 1 + L, D0)."""
        encoding = self.pos_encoding
        built = (encoding.temporal_size, *encoding.spatial_size)
        if encoding.spatial_pos is None or thw == built:
            return encoding(x)  # torchvision's own (v2's relative positions adapt themselves)
        t0, h0, w0 = built
        spatial = encoding.spatial_pos.reshape(1, h0, w0, -1).permute(0, 3, 1, 2)  # (1, D0, h, w)
        spatial = F.interpolate(spatial, size=thw[1:], mode='bicubic', align_corners=False)
        temporal = encoding.temporal_pos.t()[None]  # (1, D0, t)
        temporal = F.interpolate(temporal, size=thw[0], mode='linear', align_corners=False)
        grid = temporal[:, :, :, None, None] + spatial[:, :, None]  # (1, D0, T', H', W')
        positions = torch.cat([encoding.class_pos[None, None],
                               grid.flatten(2).transpose(1, 2)], dim=1)  # (1, 1 + L, D0)
        tokens = torch.cat([encoding.class_token.expand(x.shape[0], 1, -1), x], dim=1)
        return tokens + positions

    def forward(self, x: Tensor) -> Tensor:
        """Encode a clip.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            The class token (B, D, 1, 1, 1), or with ``output='patch_tokens'`` the patch
            tokens (B, D, T/2, H/32, W/32).
        """
        self._check_size(x)
        x = self.conv_proj(x)  # (B, D0, T', H', W')
        thw = tuple(x.shape[2:])
        x = self._add_positions(x.flatten(2).transpose(1, 2), thw)  # (B, 1 + L, D0)
        for block in self.blocks:
            x, thw = block(x, thw)
        x = self.norm(x)  # (B, 1 + L, D)
        if self.output == 'class_token':
            return x[:, 0, :, None, None, None]  # (B, D, 1, 1, 1)
        return x[:, 1:].transpose(1, 2).reshape(x.shape[0], x.shape[2], *thw)  # (B, D, T, H, W)
