"""Checkpoints written before the redesign still load, and their stored configs still build.

``tests/fixtures/legacy/`` records, for every config shipped at commit 813d7a3, the resolved
config a checkpoint stores (``meta.cfg``) and its state dict's layout (see
``record_layouts.py`` there). Each test writes a checkpoint of that layout (random values)
and loads it as ``tools/infer.py`` and ``tools/test.py`` do: ``init_model`` rebuilds the model
from the stored config and loads every tensor strictly; then the stored test pipeline runs on
a real tiny video and the model predicts it (larger than the demo models: the pipeline packs
the inputs the model reads; a pipeline that also reads precomputed inputs beside the video
only builds: there are none beside the tiny video).
"""
import glob
import json
import math
import os.path as osp

import pytest
import torch

from vidreg.apis import TestTimePipeline, inference, init_model
from vidreg.models import config_modalities
from vidreg.testing.tiny_video import write_tiny_video

FIXTURES = sorted(glob.glob(osp.join(osp.dirname(osp.abspath(__file__)), 'fixtures', 'legacy',
                                     '*.json')))
LARGE = 12_000_000  # parameters: writing and loading such a checkpoint takes seconds
SMALL = 5_000_000  # parameters: the demo models, whose forward on a CPU is quick
POSITIVE = ('running_var', 'target_std')  # buffers that must be > 0 for finite predictions


def _layout(path: str) -> dict:
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def _size(path: str) -> int:
    """Number of values in the recorded state dict."""
    return sum(math.prod(shape) for shape, _ in _layout(path)['state_dict'].values())


def _cases():
    for path in FIXTURES:
        marks = [pytest.mark.slow] if _size(path) > LARGE else []
        yield pytest.param(path, id=osp.basename(path)[:-5], marks=marks)


@pytest.fixture(scope='module')
def video(tmp_path_factory):
    return write_tiny_video(tmp_path_factory.mktemp('video') / 'clip.avi', num_frames=40,
                            size=48)


def test_every_shipped_config_of_the_old_layout_is_recorded():
    assert len(FIXTURES) >= 30


@pytest.mark.parametrize('fixture', _cases())
def test_old_checkpoint_loads_and_its_config_builds(tmp_path, fixture, video):
    layout = _layout(fixture)
    generator = torch.Generator().manual_seed(0)
    state_dict = {}
    for key, (shape, dtype) in layout['state_dict'].items():
        kind = getattr(torch, dtype)
        value = (torch.randn(shape, generator=generator).to(kind)
                 if kind.is_floating_point else torch.zeros(shape, dtype=kind))
        if key.endswith(POSITIVE):  # a variance or a scale: random but valid
            value = value.abs() + 0.5
        state_dict[key] = value
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
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    if pipeline.other_sources:
        return
    if _size(fixture) > SMALL:  # its forward at the shipped size takes seconds
        assert set(pipeline.batch_of_one(video)) == set(config_modalities(model.cfg))
        return
    prediction = inference(model.eval(), video)
    scores = prediction.get('pred_score', prediction.get('pred_value'))
    assert scores is not None and torch.isfinite(scores).all(), fixture
    if layout['dataset_meta']['task'] == 'classification':
        assert len(scores) == model.head.num_classes
