"""Checkpoints written before the redesign still load, and their stored configs still build.

``tests/fixtures/legacy/`` records, for every config shipped at commit 813d7a3, the resolved
config a checkpoint stores (``meta.cfg``) and its state dict's layout (see
``record_layouts.py`` there). Each test writes a checkpoint of that layout (random values)
and loads it as ``tools/infer.py`` and ``tools/test.py`` do: ``init_model`` rebuilds the model
from the stored config and loads every tensor strictly, and the stored test pipeline builds.
"""
import glob
import json
import math
import os.path as osp

import pytest
import torch

from vidreg.apis import TestTimePipeline, init_model

FIXTURES = sorted(glob.glob(osp.join(osp.dirname(osp.abspath(__file__)), 'fixtures', 'legacy',
                                     '*.json')))
LARGE = 12_000_000  # parameters: writing and loading such a checkpoint takes seconds


def _layout(path: str) -> dict:
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def _cases():
    for path in FIXTURES:
        size = sum(math.prod(shape) for shape, _ in _layout(path)['state_dict'].values())
        marks = [pytest.mark.slow] if size > LARGE else []
        yield pytest.param(path, id=osp.basename(path)[:-5], marks=marks)


def test_every_shipped_config_of_the_old_layout_is_recorded():
    assert len(FIXTURES) >= 30


@pytest.mark.parametrize('fixture', _cases())
def test_old_checkpoint_loads_and_its_config_builds(tmp_path, fixture):
    layout = _layout(fixture)
    generator = torch.Generator().manual_seed(0)
    state_dict = {}
    for key, (shape, dtype) in layout['state_dict'].items():
        kind = getattr(torch, dtype)
        state_dict[key] = (torch.randn(shape, generator=generator).to(kind)
                           if kind.is_floating_point else torch.zeros(shape, dtype=kind))
    checkpoint = str(tmp_path / 'old.pth')
    torch.save(dict(state_dict=state_dict,
                    meta=dict(cfg=layout['cfg'], dataset_meta=layout['dataset_meta'])),
               checkpoint)
    model = init_model(checkpoint)
    loaded = model.state_dict()
    # LateFusionHead(mode='average') keeps the config's fusion weights whatever is loaded
    fixed = ('head.fc.',) if "mode='average'" in layout['cfg'] else ()
    for key, value in state_dict.items():  # every recorded tensor reached the model unchanged
        assert key.startswith(fixed) or torch.equal(loaded[key], value), key
    TestTimePipeline(model.cfg, model.dataset_meta['task'])
