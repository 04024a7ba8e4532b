"""Every registered model component keeps its contract (after timm's tests over list_models()).

Each backbone, temporal module, head and recognizer registered by vidreg or by a plugin of this
checkout is built from its ``vidreg.testing.tiny`` spec, runs a forward and a backward pass on an
input of its declared size, gives finite outputs of the documented shape, and gives each sample
of a batch the output it gives that sample alone (eval mode). A component without a spec fails.
"""
import inspect
from typing import Dict

import pytest
import torch
from mmengine.model import BaseDataPreprocessor
from torch import nn

from vidreg.models.heads import BaseHead
from vidreg.models.recognizers import BaseRecognizer
from vidreg.plugins import discover_plugins, load_plugin
from vidreg.registry import MODELS
from vidreg.testing.tiny import TinySpec, tiny_specs
from vidreg.utils import register_all_modules

register_all_modules()
PLUGINS = [load_plugin(p.module).__name__ for p in discover_plugins() if p.kind == 'repo']
SPECS = tiny_specs(PLUGINS)
BATCH, VIEWS = 2, 2


def _owned(cls: type) -> bool:
    """Defined by vidreg or by one of this checkout's plugins (not by a test)."""
    module = getattr(cls, '__module__', '')
    return module.split('.')[0] == 'vidreg' or any(
        module == p or module.startswith(p + '.') for p in PLUGINS)


def _owned_by_vidreg(cls: type) -> bool:
    return getattr(cls, '__module__', '').split('.')[0] == 'vidreg'


def _is_model_component(cls: type) -> bool:
    """A registered nn.Module other than a loss (role suffix ``Loss``) or a data preprocessor,
    which have contracts of their own."""
    return (isinstance(cls, type) and issubclass(cls, nn.Module) and _owned(cls)
            and not issubclass(cls, BaseDataPreprocessor) and not cls.__name__.endswith('Loss'))


COMPONENTS = sorted(name for name, cls in MODELS.module_dict.items() if _is_model_component(cls))


def test_every_registered_component_has_a_tiny_spec():
    missing = sorted(set(COMPONENTS) - set(SPECS))
    assert not missing, (
        f'{missing} are registered in MODELS but have no tiny spec: add an entry '
        f"`'Name': TinySpec(role, dict(<small kwargs>))` to TINY_SPECS in vidreg/testing/tiny.py "
        f'(for a plugin: in plugins/<name>/tiny.py), see docs/plugins.md.')
    stale = sorted(set(SPECS) - set(MODELS.module_dict))
    assert not stale, f'{stale} have a tiny spec but are not registered: remove the entries.'
    assert {'backbone', 'temporal', 'head', 'recognizer'} <= {s.role for s in SPECS.values()}


def _build(name: str, spec: TinySpec) -> nn.Module:
    default_args = None
    if spec.role in ('temporal', 'head'):
        default_args = dict(in_channels=spec.in_channels or 8)
    torch.manual_seed(0)
    return MODELS.build(dict(type=name, **spec.kwargs), default_args=default_args)


def _input(spec: TinySpec, model: nn.Module) -> Dict[str, torch.Tensor]:
    """The test input by name: ``x`` for a module, each input key for a recognizer."""
    generator = torch.Generator().manual_seed(0)
    channels = spec.in_channels or (3 if spec.role in ('backbone', 'recognizer') else 8)
    shape = {'backbone': (BATCH, channels, spec.frames, spec.size, spec.size),
             'temporal': (BATCH, channels, spec.frames, spec.size, spec.size),
             'head': (BATCH, channels),
             'recognizer': (BATCH, VIEWS, channels, spec.frames, spec.size, spec.size)}
    keys = model.input_keys if spec.role == 'recognizer' else ('x',)
    return {key: torch.randn(shape[spec.role], generator=generator) for key in keys}


def _run(spec: TinySpec, model: nn.Module, x: Dict[str, torch.Tensor]) -> torch.Tensor:
    """A recognizer takes the dict of modalities, a module its one tensor."""
    return model(x) if spec.role == 'recognizer' else model(x['x'])


def _check_shape(name: str, spec: TinySpec, model: nn.Module, out: torch.Tensor) -> None:
    if spec.role == 'backbone':
        assert out.dim() == 5 and out.shape[:2] == (BATCH, model.out_channels), (name, out.shape)
    elif spec.role in ('temporal', 'head'):
        assert out.shape == (BATCH, model.out_channels), (name, out.shape)
    else:
        assert out.shape == (BATCH * VIEWS, model.head.out_channels), (name, out.shape)


@pytest.mark.parametrize('name', COMPONENTS)
def test_component_contract(name):
    spec = SPECS.get(name)
    if spec is None:
        pytest.fail(f'{name} has no tiny spec: add one (see vidreg/testing/tiny.py)')
    model = _build(name, spec)
    assert (spec.role == 'head') == isinstance(model, BaseHead), f'{name}: role {spec.role!r}?'
    assert (spec.role == 'recognizer') == isinstance(model, BaseRecognizer), name

    x = {key: value.requires_grad_() for key, value in _input(spec, model).items()}
    out = _run(spec, model, x)  # train mode
    _check_shape(name, spec, model, out)
    assert torch.isfinite(out).all(), name
    weights = torch.randn(out.shape, generator=torch.Generator().manual_seed(1))
    (out * weights).sum().backward()
    assert all(v.grad is not None and torch.isfinite(v.grad).all() for v in x.values()), name
    loss_only = getattr(model, 'loss_only_prefixes', ())  # training-only branches
    no_grad = [n for n, p in model.named_parameters()
               if p.requires_grad and p.grad is None and not n.startswith(loss_only)]
    assert not no_grad, f'{name}: trainable parameters without a gradient: {no_grad}'

    model.eval()
    with torch.no_grad():
        batched = _run(spec, model, x)
        rows = len(batched) // BATCH  # V rows per sample for a recognizer, else 1
        for i in range(BATCH):
            alone = _run(spec, model, {key: value[i:i + 1] for key, value in x.items()})
            torch.testing.assert_close(batched[i * rows:(i + 1) * rows], alone, atol=1e-5,
                                       rtol=1e-4, msg=lambda m: f'{name} sample {i}: {m}')



BACKBONES = [name for name in COMPONENTS if name in SPECS and SPECS[name].role == 'backbone']
FLOW_CHANNELS = 2  # optical flow fields (x, y): (B, 2, T, H, W) for a 3D backbone


def _takes(cls: type, argument: str) -> bool:
    return argument in inspect.signature(cls).parameters


@pytest.mark.parametrize('name', BACKBONES)
def test_backbone_takes_in_channels_and_adapts_rgb_weights(name, tmp_path):
    """A backbone with ``in_channels`` (every one of vidreg's; optional for a plugin's) reads
    other inputs than RGB (here 2 channels, flow fields) and, loading an RGB checkpoint as
    ``pretrained``, averages its first convolution over colour and replicates it (TSN's
    cross-modality initialisation); every other tensor is the checkpoint's."""
    cls = MODELS.get(name)
    if not _takes(cls, 'in_channels'):
        assert not _owned_by_vidreg(cls), (
            f'{name} must take in_channels (and adapt pretrained RGB weights with '
            f'vidreg.models.layers.adapt_input_conv): docs/architecture.md, "Backbone contract"')
        pytest.skip(f'{name} (a plugin backbone) reads RGB only: no in_channels argument')
    spec = SPECS[name]
    rgb = _build(name, spec)
    path = tmp_path / 'rgb.pth'
    torch.save(rgb.state_dict(), path)
    pretrained = dict(pretrained=str(path)) if _takes(cls, 'pretrained') else {}
    assert pretrained or not _owned_by_vidreg(cls), f'{name} must take pretrained'
    flow = MODELS.build(dict(type=name, **spec.kwargs, in_channels=FLOW_CHANNELS, **pretrained))
    x = torch.randn(BATCH, FLOW_CHANNELS, spec.frames, spec.size, spec.size,
                    generator=torch.Generator().manual_seed(0))
    out = flow(x)
    assert out.dim() == 5 and out.shape[:2] == (BATCH, flow.out_channels), (name, out.shape)
    assert torch.isfinite(out).all(), name
    if not pretrained:
        return
    flow.init_weights()
    ours, theirs = flow.state_dict(), rgb.state_dict()
    assert set(ours) == set(theirs), name
    adapted = [key for key in ours if ours[key].shape != theirs[key].shape]
    assert len(adapted) == 1, f'{name}: only the first convolution may change, got {adapted}'
    key = adapted[0]
    assert theirs[key].shape[1] == 3 and ours[key].shape[1] == FLOW_CHANNELS, (name, key)
    torch.testing.assert_close(ours[key], theirs[key].mean(1, keepdim=True).expand_as(ours[key]))
    for other in ours.keys() - {key}:
        torch.testing.assert_close(ours[other], theirs[other], msg=lambda m: f'{other}: {m}')
