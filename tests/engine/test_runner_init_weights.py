"""Pretrained weights are read only when training starts from scratch.

Backbones load ``pretrained`` in ``init_weights()``. mmengine's Runner calls it before every
training run, then loads ``load_from`` / the resumed checkpoint over it; VidregRunner skips it
when that checkpoint holds every weight, so the pretrained file is not needed then.
"""
import glob
import os.path as osp

import pytest
import torch
from mmengine.runner import load_checkpoint

from vidreg.config import load_config
from vidreg.engine.runner import VidregRunner
from vidreg.registry import MODELS
from vidreg.testing.tiny import tiny_clip
from vidreg.utils import allow_mmengine_checkpoint_types, register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRETRAINED_CONFIGS = sorted(  # leaf configs whose pretrained knob names weights
    osp.relpath(path, REPO) for path in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                                                  recursive=True)
    if '_base_' not in path and load_config(path).get('pretrained') is not None)

register_all_modules()


def _model_cfg(pretrained):
    return dict(type='Recognizer',
                backbone=dict(type='TinyConv2D', channels=(4, 8), pretrained=pretrained),
                temporal=dict(type='TemporalAvgPool'),
                head=dict(type='RegHead', num_outputs=2))


@pytest.fixture
def trained(tmp_path, monkeypatch):
    """A checkpoint of a model initialised from a local pretrained file, then that file deleted."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'empty_torch_home'))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    torch.manual_seed(0)
    pretrained = tmp_path / 'backbone.pth'
    torch.save(MODELS.build(_model_cfg(None)).backbone.state_dict(), pretrained)
    model = MODELS.build(_model_cfg(str(pretrained)))
    model.init_weights()
    checkpoint = tmp_path / 'epoch_1.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1)), checkpoint)
    pretrained.unlink()
    return model.eval(), str(pretrained), str(checkpoint)


def test_built_model_loads_checkpoint_without_pretrained_file(trained):
    # What inference does: build, load the checkpoint, predict; init_weights is never called.
    model, pretrained, checkpoint = trained
    loaded = MODELS.build(_model_cfg(pretrained))
    allow_mmengine_checkpoint_types()
    load_checkpoint(loaded, checkpoint, map_location='cpu', strict=True)
    clip = dict(imgs=tiny_clip()[:, None])  # (B, V=1, C, T, H, W)
    with torch.no_grad():
        torch.testing.assert_close(loaded.eval()(clip, mode='tensor'), model(clip, mode='tensor'))
    with pytest.raises(FileNotFoundError, match='backbone.pth'):  # training from scratch
        loaded.init_weights()


def _runner(tmp_path, pretrained, **kwargs):
    return VidregRunner(model=_model_cfg(pretrained), work_dir=str(tmp_path / 'work'),
                        default_scope='vidreg', experiment_name=tmp_path.name, **kwargs)


def test_load_from_with_every_weight_skips_init_weights(tmp_path, trained):
    _, pretrained, checkpoint = trained
    runner = _runner(tmp_path, pretrained, load_from=checkpoint)
    runner._init_model_weights()  # what Runner.train() calls before load_or_resume()
    runner.load_or_resume()
    torch.testing.assert_close(runner.model.state_dict(), trained[0].state_dict())


def test_a_checkpoint_from_before_target_statistics_holds_every_weight(tmp_path, trained):
    _, pretrained, checkpoint = trained
    state = torch.load(checkpoint, weights_only=True)
    state['state_dict'] = {k: v for k, v in state['state_dict'].items()
                           if not k.startswith('head.target_')}  # RegHead before issue 23
    old = tmp_path / 'old.pth'
    torch.save(state, old)
    runner = _runner(tmp_path, pretrained, load_from=str(old))
    runner._init_model_weights()  # skipped: the head fills in identity statistics
    runner.load_or_resume()
    assert runner.model.head.target_std.tolist() == [1.0, 1.0]


def test_resume_skips_init_weights(tmp_path, trained):
    _, pretrained, checkpoint = trained
    _runner(tmp_path, pretrained, load_from=checkpoint, resume=True)._init_model_weights()


@pytest.mark.parametrize('case', ['from_scratch', 'partial_load_from', 'auto_resume_nothing'])
def test_other_runs_still_need_the_pretrained_file(tmp_path, trained, case):
    _, pretrained, checkpoint = trained
    kwargs = {}
    if case == 'partial_load_from':  # a checkpoint without the backbone: its weights are needed
        state = torch.load(checkpoint, weights_only=True)['state_dict']
        partial = tmp_path / 'head_only.pth'
        torch.save(dict(state_dict={k: v for k, v in state.items()
                                    if not k.startswith('backbone.')}), partial)
        kwargs = dict(load_from=str(partial))
    elif case == 'auto_resume_nothing':  # --resume in an empty work dir trains from scratch
        kwargs = dict(resume=True)
    runner = _runner(tmp_path, pretrained, **kwargs)
    with pytest.raises(FileNotFoundError, match='backbone.pth'):
        runner._init_model_weights()


@pytest.mark.parametrize('config', PRETRAINED_CONFIGS)
def test_shipped_configs_build_with_an_empty_torch_home(tmp_path, monkeypatch, config):
    # What tools/test.py and inference do before loading a checkpoint.
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    model = MODELS.build(load_config(osp.join(REPO, config)).model)
    # Training from scratch still needs the weights: a torchvision name is looked up under
    # TORCH_HOME, a local path (C3D's Sports-1M file) where the config says.
    with pytest.raises(FileNotFoundError, match='TORCH_HOME|does not exist'):
        model.init_weights()
