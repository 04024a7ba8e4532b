"""Tiny constructor arguments and inputs for fast CPU tests of registered models.

``TINY_SPECS`` maps every model component vidreg registers (backbones, temporal modules,
heads, recognizers) to a :class:`TinySpec`: its role, small constructor arguments and the
size of the input it is tested on. The registry contract test
(``tests/models/test_registry_contract.py``, after timm's tests over ``list_models()``)
builds each one, runs a forward and a backward pass, checks the documented output shape
and batch independence, and fails for a registered component that has no entry here.

A plugin lists its own components in a module ``tiny.py`` of its package (a dict
``TINY_SPECS`` of the same form; see ``plugins/example/tiny.py``): :func:`tiny_specs`
merges those in, so vidreg never names a plugin's classes.
"""
import importlib
import importlib.util
from typing import Dict, Iterable, Literal, NamedTuple, Optional

import torch
from torch import Tensor

__all__ = ['TinySpec', 'TINY_SPECS', 'TINY_KWARGS', 'tiny_specs', 'tiny_clip']

Role = Literal['backbone', 'temporal', 'head', 'recognizer']


class TinySpec(NamedTuple):
    """How the contract test builds and feeds one registered model component.

    Attributes:
        role: What the component is, and so its contract (``docs/architecture.md``):
            ``'backbone'`` ``(B, C, T, H, W) -> (B, D, T', H', W')`` with D = ``out_channels``;
            ``'temporal'`` ``(B, D, T, H, W) -> (B, E)`` with E = ``out_channels``;
            ``'head'`` ``(B, E) -> (B, K)`` with K = ``out_channels``;
            ``'recognizer'`` ``forward(inputs (B, V, C, T, H, W), mode='tensor') -> (B * V, K)``.
        kwargs: Small constructor arguments (temporal modules and heads get ``in_channels``
            from the test, as a Recognizer injects it).
        frames: T of the test input (backbones, temporal modules, recognizers).
        size: H = W of the test input (backbones, temporal modules, recognizers).
        in_channels: C of the input of a backbone or recognizer (default 3), D or E given
            to a temporal module or head (default 8).
    """

    role: Role
    kwargs: dict
    frames: int = 4
    size: int = 32
    in_channels: Optional[int] = None


# Registered name -> TinySpec. Add one line for each new model component.
TINY_SPECS: Dict[str, TinySpec] = {
    # backbones: (B, C, T, H, W) -> (B, D, T', H', W')
    'C3D': TinySpec('backbone', dict(base_channels=4, fc_channels=8, input_size=(4, 32, 32))),
    'ResNet2D': TinySpec('backbone', dict(depth=18)),
    'ResNet3D': TinySpec('backbone', dict(depth=18, base_channels=4)),
    'TinyConv2D': TinySpec('backbone', dict(channels=(4, 8))),
    'VideoResNet': TinySpec('backbone', dict(arch='r2plus1d', depth=18, base_channels=4)),
    'S3D': TinySpec('backbone', dict(), frames=9),  # no width knob; its last pool needs T >= 9
    'SwinTransformer3D': TinySpec('backbone', dict(embed_dim=8, depths=(1, 1, 1, 1),
                                                   num_heads=(1, 1, 2, 2), window_size=(2, 4, 4))),
    'MViT': TinySpec('backbone', dict(arch='v2_s', embed_dim=8, spatial_size=(32, 32),
                                      temporal_size=4)),
    'VideoMAE': TinySpec('backbone', dict(embed_dims=16, depth=2, num_heads=2, num_frames=4,
                                          img_size=32, drop_path=0.1)),
    # temporal modules: (B, D, T', H', W') -> (B, E)
    'TCN': TinySpec('temporal', dict(proj_channels=4, num_levels=2, hidden_channels=8,
                                     kernel_size=3), size=2),
    'TemporalRNN': TinySpec('temporal', dict(hidden_channels=8), size=2),
    'TemporalAvgPool': TinySpec('temporal', dict(), size=2),
    # heads: (B, E) -> (B, K)
    'ClsHead': TinySpec('head', dict(num_classes=3, dropout=0.5)),
    'CORNHead': TinySpec('head', dict(num_classes=4, dropout=0.5)),
    'LateFusionHead': TinySpec('head', dict(num_classes=4, mode='learned', weights=(1, 1.5))),
    'MultiLabelHead': TinySpec('head', dict(num_classes=3, dropout=0.5)),
    'RegHead': TinySpec('head', dict(num_outputs=2, output_range=(0, 3))),
    # recognizers: (B, V, C, T, H, W) -> (B * V, K)
    'Recognizer': TinySpec('recognizer', dict(
        backbone=dict(type='TinyConv2D', channels=(4, 8)),
        temporal=dict(type='TCN', proj_channels=4, num_levels=2, hidden_channels=8,
                      kernel_size=3),
        head=dict(type='ClsHead', num_classes=3)), size=16),
    'LateFusionRecognizer': TinySpec('recognizer', dict(
        streams=dict(
            rgb=dict(type='Recognizer', input_key='imgs',
                     backbone=dict(type='TinyConv2D', channels=(4, 8)),
                     temporal=dict(type='TemporalAvgPool'),
                     head=dict(type='ClsHead', num_classes=3)),
            flow=dict(type='Recognizer', input_key='flow',
                      backbone=dict(type='TinyConv2D', channels=(4, 8)),
                      temporal=dict(type='TemporalAvgPool'),
                      head=dict(type='ClsHead', num_classes=3))),
        head=dict(type='LateFusionHead', weights={'rgb': 1, 'flow': 1.5})), size=16),
    'MultiTaskRecognizer': TinySpec('recognizer', dict(
        backbone=dict(type='VideoResNet', arch='r3d', depth=18, base_channels=4),
        temporal=dict(type='TemporalAvgPool'),
        head=dict(type='ClsHead', num_classes=3),
        branches=dict(direction=dict(type='ArrowOfTimeBranch', in_channels=32)))),
}

# Registered name -> constructor kwargs only (what most unit tests need).
TINY_KWARGS: Dict[str, dict] = {name: spec.kwargs for name, spec in TINY_SPECS.items()}


def tiny_specs(plugin_modules: Iterable[str] = ()) -> Dict[str, TinySpec]:
    """``TINY_SPECS`` plus the ``TINY_SPECS`` of each plugin's ``tiny`` module.

    Args:
        plugin_modules: Imported plugin packages, e.g. ``['plugins.example']``; one
            without a ``tiny`` module adds nothing.

    Returns:
        Registered name -> :class:`TinySpec`.

    Raises:
        ValueError: Two sources give the same name.
    """
    specs = dict(TINY_SPECS)
    for module in plugin_modules:
        if importlib.util.find_spec(f'{module}.tiny') is None:
            continue
        for name, spec in importlib.import_module(f'{module}.tiny').TINY_SPECS.items():
            if name in specs:
                raise ValueError(f'{module}.tiny lists {name!r}, which already has a tiny spec.')
            specs[name] = spec
    return specs


def tiny_clip(batch: int = 2, frames: int = 4, size: int = 32, channels: int = 3, *,
              seed: int = 0) -> Tensor:
    """A reproducible random float clip batch.

    Args:
        batch: B.
        frames: T.
        size: H = W.
        channels: C.
        seed: Seed of the generator, so repeated calls return the same tensor.

    Returns:
        Standard-normal clips, (B, C, T, H, W).
    """
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, channels, frames, size, size, generator=generator)
