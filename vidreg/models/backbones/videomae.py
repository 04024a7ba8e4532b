"""VideoMAE ViT-S/B/L/H (Tong et al., NeurIPS 2022) in the official MCG-NJU/VideoMAE layout."""
from functools import partial
from typing import List, Literal, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.ops import stochastic_depth

from vidreg.models.layers import adapt_input_conv
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['VideoMAE']

# arch -> (embed_dims D, depth, num_heads), as in VideoMAE's modeling_finetune.py
_ARCHS = {'small': (384, 12, 6), 'base': (768, 12, 12), 'large': (1024, 24, 16),
          'huge': (1280, 32, 16)}


def sinusoid_table(num_positions: int, dims: int) -> Tensor:
    """VideoMAE's fixed positions: sin on even, cos on odd channels, computed in float64.

    Returns:
        (num_positions, dims) float32, row n = position n of the flattened (t, h, w) tokens.
    """
    position = np.arange(num_positions, dtype=np.float64)[:, None]
    angle = position / np.power(10000, 2 * (np.arange(dims) // 2) / dims)
    angle[:, 0::2] = np.sin(angle[:, 0::2])
    angle[:, 1::2] = np.cos(angle[:, 1::2])
    return torch.from_numpy(angle).float()


class _PatchEmbed(nn.Module):
    """Tubelet embedding: a (tubelet, p, p) convolution of the same stride, plus positions."""

    def __init__(self, in_channels: int, dims: int, *, patch_size: int, tubelet_size: int,
                 max_grid: Tuple[int, int, int]) -> None:
        super().__init__()
        self.proj = nn.Conv3d(in_channels, dims, (tubelet_size, patch_size, patch_size),
                              stride=(tubelet_size, patch_size, patch_size))
        self.max_grid = max_grid
        self.register_buffer('pos_embed', sinusoid_table(int(np.prod(max_grid)), dims),
                             persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        """(B, C, T, H, W) -> token grid with positions added, (B, D, T/tubelet, H/p, W/p)."""
        x = self.proj(x)  # (B, D, t, h, w)
        _, dims, t, h, w = x.shape
        if (h, w) != self.max_grid[1:] or t > self.max_grid[0]:
            raise ValueError(
                f'VideoMAE: the input gives a token grid of {t}x{h}x{w} (T x H x W after the '
                f'tubelet embedding) but the fixed positions cover at most '
                f'{self.max_grid[0]}x{self.max_grid[1]}x{self.max_grid[2]}; set img_size to the '
                f'input size and num_frames to at least the clip length')
        pos = self.pos_embed[:t * h * w].transpose(0, 1).reshape(1, dims, t, h, w)
        return x + pos.to(device=x.device, dtype=x.dtype)


class _Attention(nn.Module):
    """Multi-head self-attention with VideoMAE's biases: q and v have one, k none."""

    def __init__(self, dims: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dims, dims * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dims))
        self.v_bias = nn.Parameter(torch.zeros(dims))
        self.proj = nn.Linear(dims, dims)

    def forward(self, x: Tensor) -> Tensor:
        """(B, L, D) -> (B, L, D)."""
        batch, length, dims = x.shape
        bias = torch.cat((self.q_bias, torch.zeros_like(self.v_bias), self.v_bias))
        qkv = F.linear(x, self.qkv.weight, bias)  # (B, L, 3D)
        qkv = qkv.reshape(batch, length, 3, self.num_heads, dims // self.num_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # each (B, heads, L, D / heads)
        x = F.scaled_dot_product_attention(q, k, v)  # (B, heads, L, D / heads)
        return self.proj(x.transpose(1, 2).reshape(batch, length, dims))


class _Mlp(nn.Module):
    def __init__(self, dims: int, hidden: int) -> None:
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(dims, hidden), nn.GELU(), nn.Linear(hidden, dims)

    def forward(self, x: Tensor) -> Tensor:
        """(B, L, D) -> (B, L, D)."""
        return self.fc2(self.act(self.fc1(x)))


class _Block(nn.Module):
    """Pre-norm transformer block on a token grid, with stochastic depth on both branches."""

    def __init__(self, dims: int, num_heads: int, *, mlp_ratio: float, norm_eps: float,
                 drop_path: float) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dims, eps=norm_eps)
        self.attn = _Attention(dims, num_heads)
        self.norm2 = nn.LayerNorm(dims, eps=norm_eps)
        self.mlp = _Mlp(dims, int(dims * mlp_ratio))
        self.drop_path = drop_path

    def forward(self, x: Tensor) -> Tensor:
        """Token grid (B, D, t, h, w) -> (B, D, t, h, w)."""
        shape = x.shape
        tokens = x.flatten(2).transpose(1, 2)  # (B, L, D), L = t * h * w in (t, h, w) order
        tokens = tokens + stochastic_depth(self.attn(self.norm1(tokens)), self.drop_path, 'row',
                                           self.training)
        tokens = tokens + stochastic_depth(self.mlp(self.norm2(tokens)), self.drop_path, 'row',
                                           self.training)
        return tokens.transpose(1, 2).reshape(shape)  # (B, D, t, h, w)


class _TokenMean(nn.Module):
    """Mean over all tokens (VideoMAE's ``use_mean_pooling``; ``fc_norm`` follows)."""

    def forward(self, x: Tensor) -> Tensor:
        """(B, D, t, h, w) -> (B, D)."""
        return x.mean(dim=(2, 3, 4))


class _AsGrid(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        """(B, D) -> (B, D, 1, 1, 1), the backbone contract's shape."""
        return x[:, :, None, None, None]


@MODELS.register_module()
class VideoMAE(BaseBackbone):
    """VideoMAE's ViT: tubelet embedding, fixed sinusoidal positions, pre-norm blocks.

    Names follow the official release (``patch_embed.proj``, ``blocks.N.norm1``,
    ``blocks.N.attn.qkv`` / ``q_bias`` / ``v_bias`` / ``proj``, ``blocks.N.mlp.fc1`` / ``fc2``,
    ``fc_norm``); ``tools/convert_weights.py --from videomae`` reads that layout and
    ``--from huggingface`` the ``transformers`` one (``docs/weights.md``).

    Positions are the fixed sinusoid table over the tokens flattened in (t, h, w) order, for a
    grid of ``num_frames / tubelet_size`` x ``img_size / patch_size`` x ``img_size / patch_size``.
    The input must have that spatial size; a clip with fewer frames uses the first rows of the
    table (the positions of its tokens are the same as in a full-length clip), more is an error.

    Stages (``out_stages``), input (B, C, T, H, W), p = ``patch_size``: ``stem`` (the tubelet
    embedding plus positions) and ``block1`` .. ``block<depth>``, each
    (B, D, T / tubelet_size, H / p, W / p); with ``pool=True`` also ``pool``, (B, D, 1, 1, 1):
    the mean of the last block's tokens through ``fc_norm``, what VideoMAE's classifier reads.

    Args:
        arch: ``'small'`` (D 384, 12 blocks, 6 heads), ``'base'`` (768, 12, 12), ``'large'``
            (1024, 24, 16) or ``'huge'`` (1280, 32, 16).
        embed_dims: D; None takes the arch's (set it, with ``depth`` and ``num_heads``, for a
            reduced width).
        depth: Number of blocks; None takes the arch's.
        num_heads: Attention heads; None takes the arch's. D must divide by it.
        in_channels: Input channels C (3 RGB; 2 for flow fields). With C != 3 a pretrained
            RGB ``patch_embed.proj`` is averaged over colour and replicated C times.
        num_frames: Longest clip T the positions cover.
        img_size: Input H = W.
        patch_size: Spatial patch p.
        tubelet_size: Frames per token.
        mlp_ratio: MLP hidden width / D.
        norm_eps: Epsilon of the blocks' LayerNorms (1e-6 official, 1e-12 in ``transformers``).
        fc_norm_eps: Epsilon of ``fc_norm`` (1e-6 official, 1e-5 in ``transformers``).
        drop_path: Stochastic depth rate of the last block, rising linearly from 0 at the first.
        pool: Mean-pool the tokens and apply ``fc_norm`` (VideoMAE's classifier input), or
            return the last block's token grid (no ``fc_norm``).
        pretrained: None or a local checkpoint in this layout (``tools/convert_weights.py``).
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.
        frozen_stages: -1 nothing; k freezes ``stem`` and ``block1`` .. ``block<k>``.
        out_stages: Return ``{name: features}`` for these stages (shapes above).
    """

    def __init__(self, *, arch: Literal['small', 'base', 'large', 'huge'] = 'base',
                 embed_dims: Optional[int] = None, depth: Optional[int] = None,
                 num_heads: Optional[int] = None, in_channels: int = 3, num_frames: int = 16,
                 img_size: int = 224, patch_size: int = 16, tubelet_size: int = 2,
                 mlp_ratio: float = 4.0, norm_eps: float = 1e-6, fc_norm_eps: float = 1e-6,
                 drop_path: float = 0.0, pool: bool = True, pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None, frozen_stages: int = -1,
                 out_stages: Optional[Sequence[str]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, out_stages=out_stages)
        if arch not in _ARCHS:
            raise ValueError(f'VideoMAE: arch must be one of {sorted(_ARCHS)}, got {arch!r}')
        arch_dims, arch_depth, arch_heads = _ARCHS[arch]
        dims, depth = embed_dims or arch_dims, depth or arch_depth
        num_heads = num_heads or arch_heads
        if dims % num_heads:
            raise ValueError(f'VideoMAE: embed_dims {dims} must divide by num_heads {num_heads}')
        if num_frames % tubelet_size or img_size % patch_size:
            raise ValueError(f'VideoMAE: num_frames ({num_frames}) must divide by tubelet_size '
                             f'({tubelet_size}) and img_size ({img_size}) by patch_size '
                             f'({patch_size})')
        self.in_channels, self.out_channels = in_channels, dims
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        grid = img_size // patch_size
        self.patch_embed = _PatchEmbed(in_channels, dims, patch_size=patch_size,
                                       tubelet_size=tubelet_size,
                                       max_grid=(num_frames // tubelet_size, grid, grid))
        rates = np.linspace(0, drop_path, depth) if depth > 1 else [drop_path]
        self.blocks = nn.ModuleList(
            _Block(dims, num_heads, mlp_ratio=mlp_ratio, norm_eps=norm_eps, drop_path=float(r))
            for r in rates)
        self.fc_norm = nn.LayerNorm(dims, eps=fc_norm_eps) if pool else None
        self.token_mean, self.as_grid = _TokenMean(), _AsGrid()
        self.apply(_init_weights)
        self._setup_stages()

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        stages = [('stem', [self.patch_embed])]
        stages += [(f'block{i + 1}', [block]) for i, block in enumerate(self.blocks)]
        if self.fc_norm is None:
            return stages
        return stages + [('pool', [self.token_mean, self.fc_norm, self.as_grid])]

    def init_weights(self) -> None:
        """Load ``pretrained`` (if set) over the random initialisation.

        With ``in_channels`` != 3 an RGB ``patch_embed.proj`` is averaged over colour and
        replicated (:func:`vidreg.models.layers.adapt_input_conv`).
        """
        if self.pretrained is not None:
            load_pretrained(self, self.pretrained, prefix=self.pretrained_prefix,
                            convert=partial(adapt_input_conv, key='patch_embed.proj.weight',
                                            in_channels=self.in_channels))

    def forward(self, x: Tensor) -> StageOutput:
        """Embed a clip and run the blocks.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``, H = W = ``img_size``,
                T <= ``num_frames`` and divisible by ``tubelet_size``.

        Returns:
            With ``pool=True`` the pooled, normalised embedding (B, D, 1, 1, 1); else the token
            grid (B, D, T / tubelet_size, H / patch_size, W / patch_size); or
            ``{name: features}`` for ``out_stages``.
        """
        return self.forward_stages(x)


def _init_weights(module: nn.Module) -> None:
    """The official initialisation: truncated normal (std 0.02) linears, unit LayerNorms."""
    if isinstance(module, nn.Linear):
        nn.init.trunc_normal_(module.weight, std=0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
