"""Config files are data: a leaf reads top to bottom (its ``_base_`` fragments, all in
configs/_base_/, then its model), no file is a program, and the shared knobs have one name and
reach what they name in the built pipeline."""
import ast
import glob
import os.path as osp

import numpy as np
import pytest

from vidreg.config import load_config
from vidreg.pipeline import Compose
from vidreg.plugins import REPO_ROOT
from vidreg.testing.shipped_configs import shipped_configs
from vidreg.testing.tiny_video import write_tiny_video

FILES = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
               + glob.glob(osp.join(REPO_ROOT, 'plugins', '*', 'configs', '**', '*.py'),
                           recursive=True))
IDS = [osp.relpath(path, REPO_ROOT) for path in FILES]
PROGRAM = (ast.If, ast.IfExp, ast.Raise, ast.For, ast.While, ast.ListComp, ast.SetComp,
           ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.FunctionDef)
# Names of things a config may no longer call otherwise (issue 19: one name per concept).
RETIRED_KNOBS = ('clip_frames', 'flow_pairs', 'test_clips', 'num_test_clips', 'clip_samples',
                 'temporal_input', 'flow_layout', 'flow_source')


def _base_entries(tree: ast.Module):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == '_base_' for target in node.targets):
            return [e.value for e in ast.walk(node.value)
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


@pytest.mark.parametrize('path', FILES, ids=IDS)
def test_a_config_file_is_data_not_a_program(path):
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    found = sorted({f'{type(node).__name__} (line {node.lineno})' for node in ast.walk(tree)
                    if isinstance(node, PROGRAM)})
    assert not found, f'{path}: {found}; a check belongs in the component, a variant in a file'
    assigned = {target.id for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    assert not assigned & set(RETIRED_KNOBS), sorted(assigned & set(RETIRED_KNOBS))


@pytest.mark.parametrize('path', FILES, ids=IDS)
def test_base_entries_are_fragments_never_leaves(path):
    with open(path, encoding='utf-8') as f:
        entries = _base_entries(ast.parse(f.read(), path))
    folder = osp.dirname(path)
    fragments = osp.join(REPO_ROOT, 'configs', '_base_')
    for entry in entries:
        target = osp.normpath(osp.join(folder, entry))
        assert target.startswith(fragments + osp.sep) and osp.isfile(target), (path, entry)
    assert len(entries) <= 3, entries  # runtime, schedule, dataset


def _pipeline_output(cfg, split: str, video: str) -> dict:
    np.random.seed(0)
    pipeline = Compose(cfg[f'{split}_dataloader'].dataset.pipeline)
    sample = pipeline(dict(filename=video, label=0, task='classification', sample_idx=0,
                           test_mode=split != 'train'))
    return sample['inputs']  # {name: (V, T, C, H, W)}


def _reads_only_the_video(cfg) -> bool:
    """Configs whose pipeline reads only the video file (no flow images beside it)."""
    return 'flow_root' not in cfg


CONFIGS = [path for path in shipped_configs() if _reads_only_the_video(load_config(path))]


@pytest.fixture(scope='module')
def video(tmp_path_factory):
    return write_tiny_video(tmp_path_factory.mktemp('knobs') / 'clip.avi', num_frames=40, size=40)


@pytest.mark.parametrize('path', CONFIGS, ids=[osp.relpath(p, REPO_ROOT) for p in CONFIGS])
def test_each_shared_knob_changes_what_it_names(path, video):
    """num_frames: frames per clip; num_fields: flow fields per clip (L); num_clips: test
    views; img_size: the side of the training input; batch_size: the training batch."""
    knobs = load_config(path)
    options = dict(img_size=24, batch_size=3, num_frames=4, num_fields=2, num_clips=2)
    options = {key: value for key, value in options.items() if key in knobs}
    cfg = load_config(path, dict(options, num_workers=0))
    if 'batch_size' in options:  # the training batch (some test loaders take 1 video of 30 views)
        assert cfg.train_dataloader.batch_size == 3
    train, test = _pipeline_output(cfg, 'train', video), _pipeline_output(cfg, 'test', video)
    imgs = train['imgs']
    if 'img_size' in options:
        assert tuple(imgs.shape[-2:]) == (24, 24), imgs.shape
    if 'num_frames' in options:
        assert imgs.shape[1] == 4, imgs.shape
    if 'num_fields' in options:
        assert tuple(train['flow'].shape[1:3]) in ((2, 2), (1, 4)), train['flow'].shape
    if 'num_clips' in options:
        crops = test['imgs'].shape[0] // 2
        assert test['imgs'].shape[0] == 2 * crops and crops in (1, 3), test['imgs'].shape
