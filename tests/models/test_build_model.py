"""build_model: the model follows the modality specs its pipelines declare. Changing only the
data part of a config (the number of flow fields, their layout) gives a working model."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.optim import build_optim_wrapper

from vidreg.config import load_config
from vidreg.datasets import video_collate
from vidreg.models import build_model, config_modalities
from vidreg.pipeline import Compose
from vidreg.plugins import REPO_ROOT
from vidreg.testing.tiny_video import write_tiny_video
from vidreg.utils import register_all_modules

register_all_modules()
FLOW_DEMO = osp.join(REPO_ROOT, 'configs', 'demo', 'twostream_flow_synthetic.py')
TINY = dict(img_size=32, num_workers=0, batch_size=2)


def _flow_config(**data_part):
    """The flow two-stream demo with only knobs of its data fragment changed."""
    cfg = load_config(FLOW_DEMO, dict(TINY, **data_part))
    for stream in cfg.model.streams.values():
        stream.backbone.channels = (4, 8)  # TinyConv2D, small
    return cfg


def _real_batch(cfg, video: str) -> dict:
    """Two samples of a real video through the config's train pipeline, collated."""
    pipeline = Compose(cfg.train_dataloader.dataset.pipeline)
    np.random.seed(0)
    samples = [pipeline(dict(filename=video, label=label, task='classification',
                             sample_idx=label)) for label in (0, 1)]
    return video_collate(samples)


@pytest.mark.parametrize('flow_pairs, flow_layout, channels, frames', [
    (4, 'channels', 8, 1),  # the demo: 4 fields stacked as 2L channels
    (2, 'channels', 4, 1),  # fewer fields: the flow backbone takes 4 channels
    (3, 'frames', 2, 3),  # fields kept as frames: (x, y) over T = L
])
def test_changing_the_flow_data_part_alone_gives_a_working_model(tmp_path, flow_pairs,
                                                                  flow_layout, channels, frames):
    cfg = _flow_config(flow_pairs=flow_pairs, flow_layout=flow_layout)
    specs = config_modalities(cfg)
    assert (specs['flow'].channels, specs['flow'].frames) == (channels, frames)
    assert specs['flow'].mean == (127.5,) * channels and specs['imgs'].channels == 3
    model = build_model(cfg)
    assert model.streams['temporal'].backbone.in_channels == channels
    assert model.streams['rgb'].backbone.in_channels == 3
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=20, size=40)
    batch = _real_batch(cfg, video)
    assert tuple(batch['inputs']['flow'].shape) == (2, 1, frames, channels, 32, 32)
    model.train()
    losses = model.train_step(batch, build_optim_wrapper(model, cfg.optim_wrapper))
    assert torch.isfinite(losses['loss'])


def test_a_stated_in_channels_must_be_what_the_input_carries():
    cfg = _flow_config(flow_pairs=2)
    cfg.model.streams.temporal.backbone.in_channels = 4  # what the pipeline declares: fine
    assert build_model(cfg).streams['temporal'].backbone.in_channels == 4
    cfg.model.streams.temporal.backbone.in_channels = 8
    with pytest.raises(ValueError, match=r"in_channels=8, but its input 'flow' carries 4"):
        build_model(cfg)
    cfg.model.streams.temporal.input_key = 'depth'
    with pytest.raises(ValueError, match=r"reads the input 'depth'.*packs \['flow', 'imgs'\]"):
        build_model(cfg)


def test_pipelines_that_pack_different_inputs_are_named():
    cfg = _flow_config()
    cfg.val_dataloader.dataset.pipeline[-1]['keys'] = ('imgs',)
    with pytest.raises(ValueError, match='train_dataloader and val_dataloader pipelines pack '
                                         'different inputs'):
        build_model(cfg)


@pytest.mark.slow
@pytest.mark.parametrize('flow_layout', ['channels', 'frames'])
def test_the_model_of_another_data_part_exports(tmp_path, flow_layout):
    """The changed model exports to ONNX and matches PyTorch (one uint8 input per modality)."""
    from vidreg.apis import export_onnx
    cfg = _flow_config(flow_pairs=3, flow_layout=flow_layout)
    model = build_model(cfg).eval()
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=20, size=40)
    test = Compose(cfg.test_dataloader.dataset.pipeline)
    sample = video_collate([test(dict(filename=video, test_mode=True))])['inputs']
    report = export_onnx(model, str(tmp_path / 'm.onnx'), sample=sample, metadata={},
                         exporter='legacy')
    assert report.input_names == ('imgs', 'flow') and max(report.max_abs_diff.values()) < 1e-4
