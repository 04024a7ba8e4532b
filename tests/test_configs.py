"""Every config (core and plugins) loads, names only registered types, builds and trains a step.

Configs are collected when the tests are collected: a new config is tested without editing this
file. Each one is loaded with ``vidreg.config.load_config`` and shrunk through its knobs
(``pretrained=None``, 4 frames, 32 px) so no weights are read and one step is fast on a CPU.
Data sets are only built where the data exists: the synthetic demos generate a tiny copy.
"""
import math
import os.path as osp

import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner

from vidreg.config import load_config
from vidreg.config_arguments import check_component_arguments
from vidreg.models import build_model, config_modalities
from vidreg.models.heads import RegHead
from vidreg.pipeline import Compose, DecodeFrames, OpticalFlow
from vidreg.preparation.frame_extraction import extract_video, find_videos, plan_jobs
from vidreg.registry import DATASETS
from vidreg.structures import VideoDataSample
from vidreg.testing.shipped_configs import (
    distinct_test_pipelines,
    shipped_configs,
    shrunk_config,
)
from vidreg.utils import register_all_modules
from vidreg.utils.registry_check import check_config_types

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = shipped_configs()
IDS = [osp.relpath(path, REPO) for path in CONFIGS]
BATCH = 2

register_all_modules()
_load = shrunk_config  # the config with every SHRINK knob it has (and extras) overridden


def _fake_batch(cfg, model) -> dict:
    """A uint8 batch {name: (B, V=1, T, C, H, W)} of the modalities the pipelines declare,
    with labels fitting the model's head."""
    size = cfg.get('img_size', 32)
    generator = torch.Generator().manual_seed(0)
    inputs = {name: torch.randint(0, 256, (BATCH, 1, spec.frames, spec.channels, size, size),
                                  dtype=torch.uint8, generator=generator)
              for name, spec in config_modalities(cfg).items()}
    head = model.head
    if getattr(head, 'task', None) == 'multilabel':
        labels = [VideoDataSample().set_gt_label([(i + k) % 2 for k in range(head.num_classes)],
                                                 'multilabel') for i in range(BATCH)]
    elif hasattr(head, 'num_classes'):
        labels = [VideoDataSample().set_gt_label(i % head.num_classes, 'classification')
                  for i in range(BATCH)]
    else:
        labels = [VideoDataSample().set_gt_label([0.5] * head.num_outputs, 'regression')
                  for _ in range(BATCH)]
    return dict(inputs=inputs, data_samples=labels)


def _check_train_step(cfg, model, data) -> None:
    """One optimiser step: finite loss, and the trainable weights move."""
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = [p.detach().clone() for p in model.parameters() if p.requires_grad]
    model.train()
    loss = torch.as_tensor(model.train_step(data, optim_wrapper)['loss']).detach()
    assert math.isfinite(loss.item()), loss
    after = [p.detach() for p in model.parameters() if p.requires_grad]
    assert any(not torch.equal(a, b) for a, b in zip(before, after)), 'no weight changed'


def _check_predictions(model, data) -> None:
    """val_step fills the fields the config's metrics read."""
    model.eval()
    with torch.no_grad():
        samples = model.val_step(data)
    assert len(samples) == BATCH
    for sample in samples:
        if hasattr(model.head, 'num_classes'):
            assert sample.pred_score.shape == (model.head.num_classes,)
            assert torch.isfinite(sample.pred_score).all()
        else:
            assert sample.pred_value.shape == (model.head.num_outputs,)
            assert torch.isfinite(sample.pred_value).all()


@pytest.mark.parametrize('path', CONFIGS, ids=IDS)
def test_config_builds_and_trains_one_step(path):
    cfg = _load(path)
    check_config_types(cfg)
    check_component_arguments(cfg)  # every hook, dataloader, dataset and sampler argument
    assert cfg.model.get('type') is not None, 'every leaf config writes model = dict(...) in full'
    model = build_model(cfg)  # from the modality specs of its pipelines
    data = _fake_batch(cfg, model)
    # Predictions first: one SGD step on 2 random clips can blow up a ResNet-50 whose layer4
    # sees 1x1 maps of one SG3I frame (BatchNorm over 2 values), which says nothing about it.
    _check_predictions(model, data)
    _check_train_step(cfg, model, data)
    _check_evaluators(cfg, model)
    _check_frames_shared(cfg)
    _check_safe_training(cfg, model)


def _check_safe_training(cfg, model) -> None:
    """Training stops at a non-finite loss, and a regression head learns standardised targets
    (the training split's statistics, fitted when training starts)."""
    hooks = cfg.get('default_hooks', {})
    assert hooks.get('divergence_check', {}).get('type') == 'DivergenceCheckHook'
    if isinstance(model.head, RegHead):
        assert model.head.standardize_targets
        assert hooks.get('target_stats', {}).get('type') == 'TargetStatsHook'


def _check_frames_shared(cfg) -> None:
    """Every step after DecodeFrames accepts frame_map, so repeated frames are decoded,
    resized and cropped once (a step without the declaration would silently cost copies)."""
    for split in ('train', 'val', 'test'):
        if cfg.get(f'{split}_dataloader') is None:  # e.g. self-supervised pre-training: no val
            continue
        pipeline = Compose(cfg[f'{split}_dataloader'].dataset.pipeline)
        decoders = [step for step in pipeline.steps if isinstance(step, DecodeFrames)
                    and step.out_key == 'imgs']  # another modality's frames are laid out
        assert decoders and all(step.share_repeated_frames for step in decoders), split


def test_hmdb51_flowimages_config_reads_flow_images_beside_the_video():
    """Flow images: a second reader (the mirrored flow folder) in every sample, the model of the
    config that computes the flow while loading, and the frames of imgs still shared."""
    path = osp.join(REPO, 'configs', 'twostream_r50_hmdb51_flowimages.py')
    cfg = _load(path, flow_root='/flow')
    steps = cfg.test_dataloader.dataset.pipeline
    opens = [step for step in steps if step['type'] == 'OpenVideo']
    assert opens[1] == dict(type='OpenVideo', reader=dict(type='FlowFolderReader'),
                            video_root=cfg.data_root, mirror_root='/flow',
                            reader_key='flow_reader')
    assert 'OpticalFlow' not in [step['type'] for step in steps]
    assert cfg.model == _load(osp.join(REPO, 'configs', 'twostream_r50_hmdb51_flow.py')).model
    _check_frames_shared(cfg)


def _check_evaluators(cfg, model) -> None:
    """The evaluators build, and the head's task matches the metric (a dict merge with a base
    fragment's metric once left AccuracyMetric's ``topk`` in a RegressionMetric)."""
    for key in ('val_evaluator', 'test_evaluator'):
        if cfg.get(key) is None:
            continue
        evaluator = Evaluator(cfg[key])
        names = {type(m).__name__ for m in evaluator.metrics}
        regression = type(model.head).__name__ == 'RegHead'
        assert ('RegressionMetric' in names) == regression, (key, names)
        multilabel = getattr(model.head, 'task', None) == 'multilabel'
        assert ('MultiLabelMetric' in names) == multilabel, (key, names)


def _uses_synthetic_data(path: str) -> bool:
    cfg = load_config(path)
    return cfg.train_dataloader.dataset.type == 'SyntheticVideoDataset'


SYNTHETIC = [path for path in CONFIGS if _uses_synthetic_data(path)]


@pytest.fixture(scope='module')
def tiny_synthetic_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp('synthetic'))


@pytest.mark.slow
@pytest.mark.parametrize('path', SYNTHETIC, ids=[osp.relpath(p, REPO) for p in SYNTHETIC])
def test_synthetic_config_reads_real_batches(path, tiny_synthetic_root):
    """A real batch from the real train and val loaders goes through the model (configs that
    read precomputed flow images get them extracted first, as their header says)."""
    if load_config(path).get('task') == 'multilabel':  # its own set: keep the other one cached
        tiny_synthetic_root += '_multilabel'
    cfg = _load(path, data_root=tiny_synthetic_root, videos_per_class=(2, 1, 1))
    if 'flow_root' in cfg:  # the config reads flow images
        flow_root = osp.join(tiny_synthetic_root + '_flow', osp.basename(path))
        _extract_flow_images(cfg, tiny_synthetic_root, flow_root)
        cfg = _load(path, data_root=tiny_synthetic_root, videos_per_class=(2, 1, 1),
                    flow_root=flow_root)
    model = build_model(cfg)
    train_batch = next(iter(Runner.build_dataloader(cfg.train_dataloader)))
    inputs = train_batch['inputs']  # {name: (B, V=1, T_k, C_k, H, W)}
    assert all(v.dtype == torch.uint8 and tuple(v.shape[:2]) == (BATCH, 1)
               and tuple(v.shape[-2:]) == (cfg.img_size, cfg.img_size)
               for v in inputs.values()), {k: v.shape for k, v in inputs.items()}
    for name, spec in config_modalities(cfg).items():  # each input has the declared C
        assert inputs[name].shape[3] == spec.channels, name
    if 'num_fields' in cfg:  # L fields of (x, y): over time, or stacked as 2L channels
        assert tuple(inputs['flow'].shape[2:4]) in ((cfg.num_fields, 2), (1, 2 * cfg.num_fields))
    if 'num_frames' in cfg and set(inputs) == {'imgs'}:
        assert inputs['imgs'].shape[2] == cfg.num_frames
    _check_train_step(cfg, model, train_batch)
    if cfg.get('val_dataloader') is None:  # self-supervised pre-training: no validation
        return
    val_batch = next(iter(Runner.build_dataloader(cfg.val_dataloader)))
    _check_predictions(model, val_batch)
    assert cfg.val_dataloader.dataset.task == model.head.task, 'the data and the head disagree'


def _extract_flow_images(cfg, data_root: str, flow_root: str) -> None:
    """Generate the synthetic videos, then their flow images (tools/extract_flow.py's work)."""
    DATASETS.build(dict(cfg.train_dataloader.dataset, pipeline=[]))
    flow = OpticalFlow(method=cfg.flow_method, preset=cfg.flow_preset)
    for job in plan_jobs(find_videos(data_root), data_root, flow_root):
        assert extract_video(job, flow=flow, image_format='png').status in ('done', 'skipped')


def test_every_config_is_collected():
    """The glob finds the seed systems, their demos and no _base_ fragment."""
    names = {osp.basename(path) for path in CONFIGS}
    assert {'restcn_daisee.py', 'cnn_rnn_hmdb51.py', 'tsn_r18_hmdb51.py',
            'restcn_synthetic.py', 'cnn_rnn_synthetic.py', 'tsn_r18_synthetic.py'} <= names
    assert not any('_base_' in path for path in CONFIGS)
    assert len(SYNTHETIC) >= 4


def test_flat_variants_share_their_test_pipeline():
    """What tests/deployment/test_pipeline_equality.py relies on to run each pipeline once."""
    paths = [osp.join(REPO, 'configs', name) for name in (
        'r3d18_hmdb51.py', 'c3d_ucf101.py', 'videomae_b_hmdb51.py', 'videomae_b_ucf101.py')]
    assert distinct_test_pipelines(paths) == [paths[0], paths[2]]
    assert distinct_test_pipelines(paths[:1] + paths[2:3]) == [paths[0], paths[2]]
