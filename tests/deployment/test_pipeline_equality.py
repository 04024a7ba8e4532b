"""One implementation of every step: for every shipped test pipeline, run through a
dataset and video_collate (what tools/test.py feeds the model) and through the deployment
runner's stored pipeline (what an exported .onnx is fed, rebuilt from the step configs export
stores, JSON and all) gives identical arrays, on real clips: a normal video, a video shorter
than one clip, and an H.264 file with B-frames. Each distinct pipeline is run once: the flat
variants of a config (``*_hmdb51.py``, ``*_ucf101.py``, ``*_csv.py``) share theirs
(:func:`~vidreg.testing.shipped_configs.distinct_test_pipelines`)."""
import json
import os
import os.path as osp

import numpy as np
import pytest

from vidreg.apis import TestTimePipeline
from vidreg.config import load_config
from vidreg.datasets import CSVDataset, video_collate
from vidreg.deployment import StoredPipeline
from vidreg.pipeline import OpticalFlow
from vidreg.plugins import REPO_ROOT
from vidreg.preparation.frame_extraction import extract_video, find_videos, plan_jobs
from vidreg.testing.shared_data import shared_data_dir
from vidreg.testing.shipped_configs import (
    distinct_test_pipelines,
    shipped_configs,
    shrunk_config,
)
from vidreg.testing.tiny_video import write_tiny_mp4, write_tiny_video
from vidreg.utils import register_all_modules

register_all_modules()
SHRUNK = distinct_test_pipelines(shipped_configs(), shrink=True)  # as the tiny videos test them
FULL = distinct_test_pipelines(shipped_configs())  # at their own sizes, on the real files
VIDEOS = dict(normal=lambda root: write_tiny_video(root / 'normal.avi', num_frames=30, size=40),
              short=lambda root: write_tiny_video(root / 'short.avi', num_frames=2, size=40),
              h264=lambda root: write_tiny_mp4(root / 'h264.mp4', num_frames=30, size=48,
                                               codec='libx264'))
REAL_VIDEOS = ['demo.mp4', 'test.avi']


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    """The three videos under one root, with their flow images extracted (for the configs
    that read precomputed flow beside each video)."""
    root = tmp_path_factory.mktemp('videos')
    for write in VIDEOS.values():
        write(root)
    for short_side in (None, FLOW_SHORT_SIDE):  # as stored, and as the HMDB51 configs read it
        for job in plan_jobs(find_videos(str(root)), str(root), _flow_root(root, short_side)):
            extract_video(job, flow=OpticalFlow(preset='fast'), image_format='png',
                          short_side=short_side)
    return root


FLOW_SHORT_SIDE = 256  # configs that resize the frames to this read flow extracted at this size


def _flow_root(root, short_side) -> str:
    return str(root) + ('_flow' if short_side is None else f'_flow{short_side}')


def _flow_root_for(path: str, root) -> str:
    """The flow images a config reads: extracted at the size its pipeline resizes to."""
    steps = load_config(path).test_dataloader.dataset.pipeline
    resized = any(step.get('short_side') == FLOW_SHORT_SIDE for step in steps)
    return _flow_root(root, FLOW_SHORT_SIDE if resized else None)


def _through_the_dataset(cfg, root, video: str) -> dict:
    """Every sample (row) of ``video`` through a dataset with the config's test pipeline,
    batched by video_collate; a video's clip rows are laid side by side as its views."""
    csv = root / f'{osp.basename(video)}.csv'
    csv.write_text(f'path,label\n{video},0\n')
    dataset = CSVDataset(ann_file=str(csv), data_root=str(root), num_classes=1, test_mode=True,
                         pipeline=cfg.test_dataloader.dataset.pipeline)
    batch = video_collate([dataset[i] for i in range(len(dataset))])['inputs']
    return {name: clips.numpy().reshape(-1, *clips.shape[2:])  # (rows * V, T, C, H, W)
            for name, clips in batch.items()}


def _through_the_runner(cfg, video: str) -> dict:
    """What an exported model's runner packs: the stored step configs, rebuilt."""
    stored = json.loads(json.dumps(TestTimePipeline(cfg, 'classification').step_configs()))
    inputs, _ = StoredPipeline(stored, cfg.get('custom_imports'))(video)
    return inputs


def _assert_both_paths_pack_the_same(cfg, root, video: str) -> None:
    """The same modalities, in the same order, with identical arrays."""
    expected = _through_the_dataset(cfg, root, video)
    got = _through_the_runner(cfg, video)
    assert list(got) == list(expected)
    for name, clips in expected.items():
        assert got[name].shape == clips.shape, name
        np.testing.assert_array_equal(got[name], clips, err_msg=name)


@pytest.mark.parametrize('video_kind', list(VIDEOS))
@pytest.mark.parametrize('path', SHRUNK, ids=[osp.relpath(p, REPO_ROOT) for p in SHRUNK])
def test_the_dataset_and_the_deployment_runner_pack_identical_arrays(path, video_kind,
                                                                      data_root):
    cfg = shrunk_config(path, data_root=str(data_root), flow_root=_flow_root_for(path, data_root))
    video = str(data_root / osp.basename(VIDEOS[video_kind](data_root)))
    _assert_both_paths_pack_the_same(cfg, data_root, video)


@pytest.fixture(scope='module')
def real_root(tmp_path_factory):
    """The shared H.264 MP4 (280 frames, 340x256, B-frames) and MPEG-4 AVI, linked under one
    root, with their flow images extracted."""
    root = tmp_path_factory.mktemp('real')
    for name in REAL_VIDEOS:
        os.symlink(osp.join(shared_data_dir(), 'mmaction2', name), root / name)
    for short_side in (None, FLOW_SHORT_SIDE):
        for job in plan_jobs(find_videos(str(root)), str(root), _flow_root(root, short_side)):
            extract_video(job, flow=OpticalFlow(preset='fast'), image_format='png',
                          short_side=short_side)
    return root


@pytest.mark.slow
@pytest.mark.parametrize('name', REAL_VIDEOS)
@pytest.mark.parametrize('path', FULL, ids=[osp.relpath(p, REPO_ROOT) for p in FULL])
def test_real_h264_and_mpeg4_files_pack_identically(path, name, real_root):
    """Every shipped test pipeline at its own frame count and size, on real files."""
    roots = dict(data_root=str(real_root), flow_root=_flow_root_for(path, real_root))
    knobs = load_config(path)
    cfg = load_config(path, {key: value for key, value in roots.items() if key in knobs})
    _assert_both_paths_pack_the_same(cfg, real_root, str(real_root / name))
