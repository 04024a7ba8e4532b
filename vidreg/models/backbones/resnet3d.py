"""3D ResNet-18/34/50 in the kenshohara/3D-ResNets-PyTorch layout, optionally inflated from 2D."""
import logging
from functools import partial
from typing import List, Literal, Optional, Sequence, Tuple, Union

import torch.nn.functional as F
from mmengine.logging import print_log
from torch import Tensor, nn
from torchvision.models import ResNet18_Weights, ResNet34_Weights, ResNet50_Weights

from vidreg.models.layers import adapt_input_conv
from vidreg.registry import MODELS
from vidreg.utils.pretrained import load_pretrained, read_pretrained_state_dict
from vidreg.weights.inflate import inflate_2d_state_dict

from .base_backbone import BaseBackbone, StageOutput

__all__ = ['ResNet3D']

# depth -> (blocks per stage, bottleneck?, torchvision 2D weights enum for inflation)
_ARCHS = {18: ((2, 2, 2, 2), False, ResNet18_Weights),
          34: ((3, 4, 6, 3), False, ResNet34_Weights),
          50: ((3, 4, 6, 3), True, ResNet50_Weights)}
Triple = Tuple[int, int, int]


def _conv(in_channels: int, out_channels: int, kernel: Triple, stride: Triple) -> nn.Conv3d:
    return nn.Conv3d(in_channels, out_channels, kernel, stride=stride,
                     padding=tuple(k // 2 for k in kernel), bias=False)


class _ZeroPadShortcut(nn.Module):
    """Shortcut 'A': subsample by the stride, zero-pad the extra channels (no parameters)."""

    def __init__(self, out_channels: int, stride: Triple) -> None:
        super().__init__()
        self.out_channels, self.stride = out_channels, stride

    def forward(self, x: Tensor) -> Tensor:
        """(B, D_in, T, H, W) -> (B, D, T/st, H/s, W/s)."""
        x = x[:, :, ::self.stride[0], ::self.stride[1], ::self.stride[2]]
        return F.pad(x, (0, 0, 0, 0, 0, 0, 0, self.out_channels - x.shape[1]))


class _Block(nn.Module):
    """Basic (tx3x3, tx3x3) or bottleneck (1x1x1, tx3x3, 1x1x1; x4 channels) residual block.

    With ``temporal_conv='conv1'`` a bottleneck is (tx1x1, 1x3x3, 1x1x1) instead (MMAction2's
    ``inflate_style='3x1x1'``). The stride is on the 3x3 convolution.
    """

    def __init__(self, in_channels: int, channels: int, *, bottleneck: bool, stride: Triple,
                 temporal_kernel: int, shortcut: str, temporal_conv: str = 'conv2') -> None:
        super().__init__()
        kernel = (temporal_kernel, 3, 3)
        out_channels = channels * 4 if bottleneck else channels
        if bottleneck:
            first = (temporal_kernel, 1, 1) if temporal_conv == 'conv1' else (1, 1, 1)
            kernel = (1, 3, 3) if temporal_conv == 'conv1' else kernel
            self.conv1 = _conv(in_channels, channels, first, (1, 1, 1))
            self.bn1 = nn.BatchNorm3d(channels)
            self.conv2 = _conv(channels, channels, kernel, stride)
            self.bn2 = nn.BatchNorm3d(channels)
            self.conv3 = _conv(channels, out_channels, (1, 1, 1), (1, 1, 1))
            self.bn3 = nn.BatchNorm3d(out_channels)
        else:
            self.conv1 = _conv(in_channels, channels, kernel, stride)
            self.bn1 = nn.BatchNorm3d(channels)
            self.conv2 = _conv(channels, channels, kernel, (1, 1, 1))
            self.bn2 = nn.BatchNorm3d(channels)
        self.bottleneck = bottleneck
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != (1, 1, 1) or in_channels != out_channels:
            self.downsample = (_ZeroPadShortcut(out_channels, stride) if shortcut == 'A' else
                               nn.Sequential(_conv(in_channels, out_channels, (1, 1, 1), stride),
                                             nn.BatchNorm3d(out_channels)))

    def forward(self, x: Tensor) -> Tensor:
        """(B, D_in, T, H, W) -> (B, D, T/st, H/s, W/s)."""
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.bottleneck:
            out = self.bn3(self.conv3(self.relu(out)))
        return self.relu(out + identity)


def _per_block(kernels: Union[int, Sequence[int]], num_blocks: int, stage: int) -> List[int]:
    """A stage's temporal kernel sizes, one per block."""
    if isinstance(kernels, int):
        return [kernels] * num_blocks
    if len(kernels) != num_blocks:
        raise ValueError(f'temporal_kernels[{stage}] needs one value per block of the stage '
                         f'({num_blocks}), got {tuple(kernels)!r}')
    return list(kernels)


@MODELS.register_module()
class ResNet3D(BaseBackbone):
    """3D ResNet-18/34/50 with kenshohara/3D-ResNets-PyTorch's names and defaults.

    Names (``conv1``, ``bn1``, ``layerN.M.conv1``/``bn1``/..., ``downsample.0/1``) are
    those of that project and of torchvision's 2D ResNets, so its checkpoints load after
    ``tools/convert_weights.py --from kenshohara`` (strips ``module.``, drops ``fc``) and
    ImageNet 2D weights inflate key by key (``pretrained_2d``).

    Defaults are Kenshohara's: conv1 7x7x7 stride (1, 2, 2), max pool 3x3x3 stride 2,
    3x3x3 convolutions, stages strided 2 in T, H and W. The self-supervised seed's
    ResNet-50 (SPEC §4) is ``conv1_kernel=(1, 7, 7), pool1_kernel=(1, 3, 3),
    pool1_stride=(1, 2, 2), temporal_kernels=(1, 1, 1, 3), spatial_strides=(1, 2, 1, 2),
    temporal_strides=(1, 1, 1, 2)``: frames independent up to ``layer3`` (res4), which
    keeps stride 8: 1024@T x H/8 x W/8.

    MMAction2's ResNet-50s (``ResNet3d`` / ``ResNet3dSlowOnly``, loaded by
    ``tools/convert_weights.py --from mmaction2``) are ``depth=50, temporal_conv='conv1',
    pool1_kernel=(1, 3, 3), temporal_strides=(1, 1, 1, 1)`` plus, for I3D-R50,
    ``conv1_kernel=(5, 7, 7), conv1_stride=(2, 2, 2), pool1_stride=(2, 2, 2),
    pool2_kernel=(2, 1, 1), temporal_kernels=((3, 3, 3), (3, 1, 3, 1), (3, 1, 3, 1, 3, 1),
    (1, 3, 1))`` and, for SlowOnly-R50, ``conv1_kernel=(1, 7, 7), pool1_stride=(1, 2, 2),
    temporal_kernels=(1, 1, 3, 3)`` (``vidreg.utils.zoo_mmaction2``).

    Stages (``out_stages``), input (B, C, T, H, W), e = 4 for depth 50 else 1,
    w = ``base_channels``, s_k / t_k the products of the spatial / temporal strides up to
    stage k (conv1 and pool1 included): ``stem`` (B, w, T/t_0, H/s_0, W/s_0) (after
    pool1; s_0 = 4, t_0 = 2 by default); ``layer1`` (B, w*e, ...) (after ``pool2`` if set);
    ``layer2`` (B, 2w*e, ...);
    ``layer3`` (B, 4w*e, ...); ``layer4`` (B, D = 8w*e, T/t_4, H/s_4, W/s_4); sizes rounded up.

    Args:
        depth: 18, 34 (basic blocks) or 50 (bottlenecks).
        base_channels: Width of the stem and ``layer1`` (64).
        in_channels: Input channels C (3 RGB; 2 for flow fields ``(B, 2, T, H, W)``). With
            C != 3 a pretrained (or inflated 2D) RGB conv1 is averaged over colour and
            replicated C times (:func:`vidreg.models.layers.adapt_input_conv`).
        conv1_kernel: Kernel of conv1 (T, H, W); padding is half of it.
        conv1_stride: Stride of conv1.
        pool1_kernel: Max-pool kernel after conv1; None for no pool.
        pool1_stride: Max-pool stride.
        spatial_strides: H/W stride of the first block of each stage.
        temporal_strides: T stride of the first block of each stage.
        temporal_kernels: Temporal kernel size of each stage's convolutions (1 = 2D): one int
            per stage, or per stage a sequence with one int per block (MMAction2's ``inflate``
            pattern: I3D-R50 is ``((3, 3, 3), (3, 1, 3, 1), (3, 1, 3, 1, 3, 1), (1, 3, 1))``).
        temporal_conv: Which bottleneck convolution has the temporal kernel: ``'conv2'`` (the
            3x3 one: t x 3 x 3, Kenshohara; MMAction2's ``inflate_style='3x3x3'``) or
            ``'conv1'`` (the first 1x1 one: t x 1 x 1, then 1 x 3 x 3; MMAction2's default
            ``'3x1x1'``). Basic blocks (depth 18/34) take only ``'conv2'``.
        pool2_kernel: None, or a max pool after ``layer1`` with this kernel and stride
            (MMAction2's ``with_pool2``: (2, 1, 1) halves T).
        shortcut: ``'B'`` projection shortcuts (conv + BN) or ``'A'`` (parameter-free
            zero padding, Kenshohara's older ResNet-18/34 checkpoints).
        pretrained: None or a local checkpoint in this layout (e.g. converted from
            Kenshohara's). Loaded by :meth:`init_weights`.
        pretrained_prefix: Take only checkpoint keys with this prefix, stripped.
        pretrained_2d: None, or a torchvision 2D ResNet of the same depth (local path or
            weights name such as ``'ResNet50_Weights.IMAGENET1K_V1'`` from the local torch
            cache) inflated to 3D by :meth:`init_weights`; ignored when ``pretrained`` is set.
        inflate_init: ``'center'`` (the 2D kernel in the middle time slice, SPEC §4) or
            ``'mean'`` (repeated and divided by t, I3D).
        frozen_stages: -1 nothing; k freezes ``stem`` and ``layer1`` .. ``layer<k>``.
        norm_eval: Keep all BatchNorms in eval mode while training.
        out_stages: Return ``{name: features}`` for these stages (shapes above).
    """

    def __init__(self, *, depth: Literal[18, 34, 50] = 50, base_channels: int = 64,
                 in_channels: int = 3,
                 conv1_kernel: Triple = (7, 7, 7), conv1_stride: Triple = (1, 2, 2),
                 pool1_kernel: Optional[Triple] = (3, 3, 3), pool1_stride: Triple = (2, 2, 2),
                 spatial_strides: Sequence[int] = (1, 2, 2, 2),
                 temporal_strides: Sequence[int] = (1, 2, 2, 2),
                 temporal_kernels: Sequence[Union[int, Sequence[int]]] = (3, 3, 3, 3),
                 temporal_conv: Literal['conv1', 'conv2'] = 'conv2',
                 pool2_kernel: Optional[Triple] = None,
                 shortcut: Literal['A', 'B'] = 'B', pretrained: Optional[str] = None,
                 pretrained_prefix: Optional[str] = None, pretrained_2d: Optional[str] = None,
                 inflate_init: Literal['center', 'mean'] = 'center', frozen_stages: int = -1,
                 norm_eval: bool = False, out_stages: Optional[Sequence[str]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, out_stages=out_stages)
        if depth not in _ARCHS:
            raise ValueError(f'depth must be one of {sorted(_ARCHS)}, got {depth!r}')
        for name, value in (('spatial_strides', spatial_strides),
                            ('temporal_strides', temporal_strides),
                            ('temporal_kernels', temporal_kernels)):
            if len(value) != 4:
                raise ValueError(f'{name} needs one value per stage (4), got {value!r}')
        if shortcut not in ('A', 'B') or inflate_init not in ('center', 'mean'):
            raise ValueError(f"shortcut must be 'A' or 'B' and inflate_init 'center' or 'mean', "
                             f'got {shortcut!r}, {inflate_init!r}')
        blocks, bottleneck, self._weights_2d = _ARCHS[depth]
        if temporal_conv not in ('conv1', 'conv2') or (temporal_conv == 'conv1'
                                                       and not bottleneck):
            raise ValueError(f"temporal_conv must be 'conv2', or 'conv1' with depth 50, got "
                             f'{temporal_conv!r} with depth {depth}')
        block_kernels = [_per_block(k, n, stage) for stage, (k, n) in
                         enumerate(zip(temporal_kernels, blocks))]
        self.pretrained, self.pretrained_prefix = pretrained, pretrained_prefix
        self.pretrained_2d, self.inflate_init = pretrained_2d, inflate_init
        self.in_channels = in_channels
        self.conv1 = _conv(in_channels, base_channels, tuple(conv1_kernel), tuple(conv1_stride))
        self.bn1 = nn.BatchNorm3d(base_channels)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = (nn.Identity() if pool1_kernel is None else nn.MaxPool3d(
            tuple(pool1_kernel), stride=tuple(pool1_stride),
            padding=tuple(k // 2 for k in pool1_kernel)))
        in_channels = base_channels
        for index, num_blocks in enumerate(blocks):
            channels = base_channels * 2 ** index
            layer = []
            for block in range(num_blocks):
                stride = ((temporal_strides[index], spatial_strides[index],
                           spatial_strides[index]) if block == 0 else (1, 1, 1))
                layer.append(_Block(in_channels, channels, bottleneck=bottleneck, stride=stride,
                                    temporal_kernel=block_kernels[index][block],
                                    shortcut=shortcut, temporal_conv=temporal_conv))
                in_channels = channels * 4 if bottleneck else channels
            self.add_module(f'layer{index + 1}', nn.Sequential(*layer))
        self.pool2 = (nn.Identity() if pool2_kernel is None else
                      nn.MaxPool3d(tuple(pool2_kernel), stride=tuple(pool2_kernel)))
        self.out_channels = in_channels
        for module in self.modules():  # Kenshohara's initialisation
            if isinstance(module, nn.Conv3d):
                nn.init.kaiming_normal_(module.weight, mode='fan_out', nonlinearity='relu')
        self._setup_stages()

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        return [('stem', [self.conv1, self.bn1, self.relu, self.maxpool]),
                ('layer1', [self.layer1, self.pool2]), ('layer2', [self.layer2]),
                ('layer3', [self.layer3]), ('layer4', [self.layer4])]

    def init_weights(self) -> None:
        """Load ``pretrained``, or else inflate ``pretrained_2d`` (if set)."""
        if self.pretrained is not None:
            load_pretrained(self, self.pretrained, prefix=self.pretrained_prefix,
                            convert=partial(adapt_input_conv, key='conv1.weight',
                                            in_channels=self.in_channels))
        elif self.pretrained_2d is not None:
            state_2d = adapt_input_conv(
                read_pretrained_state_dict(self.pretrained_2d, weights_enum=self._weights_2d),
                'conv1.weight', self.in_channels)
            own = self.state_dict()
            inflated = inflate_2d_state_dict(state_2d, own, mode=self.inflate_init)
            missing = [k for k in own if k not in inflated]
            self.load_state_dict(inflated, strict=False)
            print_log(f'ResNet3D: inflated {len(inflated)} tensors from {self.pretrained_2d!r} '
                      f'({self.inflate_init}); not inflated (left as initialised): '
                      f'{", ".join(missing[:10]) or "none"}'
                      f'{f" ... ({len(missing)} in all)" if len(missing) > 10 else ""}.',
                      logger='current', level=logging.WARNING if missing else logging.INFO)

    def forward(self, x: Tensor) -> StageOutput:
        """Extract spatio-temporal features.

        Args:
            x: Clips, (B, C, T, H, W) with C = ``in_channels``.

        Returns:
            ``layer4`` features (B, D, T', H', W') (D = 512 for depth 18/34, 2048 for 50;
            T/16 x H/32 x W/32 by default), or ``{name: features}`` for ``out_stages``.
        """
        return self.forward_stages(x)
