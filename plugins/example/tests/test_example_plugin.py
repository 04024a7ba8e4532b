"""Tests of the example plugin: its three components, and its config through tools/."""
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torchvision

from plugins.example import FocalLoss, RandomStrideSampleFrames, TSMResNet2D
from plugins.example.tsm_resnet2d import temporal_shift
from vidreg.registry import MODELS, TRANSFORMS
from vidreg.testing.tiny import tiny_clip

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CONFIG = osp.join(REPO, 'plugins', 'example', 'configs', 'tsm_r18_synthetic.py')


# ---- TSMResNet2D ---------------------------------------------------------------------------
def test_temporal_shift_moves_channels_across_time():
    b, t, d = 2, 4, 16  # fold = 2 channels per direction
    values = torch.arange(b * t * d, dtype=torch.float32).reshape(b, t, d, 1, 1)
    out = temporal_shift(values.reshape(b * t, d, 1, 1), t).reshape(b, t, d, 1, 1)
    assert torch.equal(out[:, :-1, :2], values[:, 1:, :2])  # from the next frame
    assert torch.equal(out[:, 1:, 2:4], values[:, :-1, 2:4])  # from the previous frame
    assert (out[:, -1, :2] == 0).all() and (out[:, 0, 2:4] == 0).all()  # clip ends: zeros
    assert torch.equal(out[:, :, 4:], values[:, :, 4:])  # the rest stays
    with pytest.raises(ValueError, match='multiple of T'):
        temporal_shift(torch.zeros(6, d, 1, 1), 4)


def test_tsm_shape_finite_backward_and_registry():
    model = MODELS.build(dict(type='TSMResNet2D', depth=18))
    assert isinstance(model, TSMResNet2D) and model.out_channels == 512
    x = tiny_clip().requires_grad_()
    out = model(x)
    assert out.shape == (2, 512, 4, 1, 1) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None and model.layer1[0].conv1.weight.grad is not None


def test_tsm_mixes_frames():
    x = tiny_clip(batch=1, frames=2)
    later = x.clone()
    later[:, :, 1] += 1.0  # change frame 1 only
    model = TSMResNet2D(depth=18).eval()  # eval: BatchNorm does not mix frames through batch stats
    with torch.no_grad():
        out, out_later = model(x), model(later)
    assert (out[:, :, 0] - out_later[:, :, 0]).abs().max() > 1e-4  # frame 0 sees frame 1
    assert (out[:, :, 1] - out_later[:, :, 1]).abs().max() > 1e-4


def test_tsm_loads_torchvision_weights_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    (tmp_path / 'hub' / 'checkpoints').mkdir(parents=True)
    torch.manual_seed(3)
    net = torchvision.models.resnet18()
    torch.save(net.state_dict(), tmp_path / 'hub' / 'checkpoints' / 'resnet18-f37072fd.pth')
    model = TSMResNet2D(depth=18, pretrained='ResNet18_Weights.IMAGENET1K_V1')
    model.init_weights()
    for key, value in model.state_dict().items():
        assert torch.equal(value, net.state_dict()[key]), key


def test_tsm_bad_arguments_and_blocks_outside_forward():
    with pytest.raises(ValueError, match='shift_div'):
        TSMResNet2D(shift_div=1)
    with pytest.raises(TypeError):
        TSMResNet2D(frame_chunk=4)  # chunks would split clips: not an argument
    with pytest.raises(RuntimeError, match='T unknown'):
        TSMResNet2D().layer1(torch.zeros(2, 64, 8, 8))


# ---- RandomStrideSampleFrames ---------------------------------------------------------------
def _sample(sampler, total, test_mode=False):
    return sampler(dict(total_frames=total, test_mode=test_mode))['frame_inds']


def test_sampler_train_strides_in_range_and_bounds():
    sampler = TRANSFORMS.build(dict(type='RandomStrideSampleFrames', num_frames=4,
                                    stride_range=(2, 5), num_clips=3))
    np.random.seed(0)
    strides = set()
    for _ in range(200):
        clips = _sample(sampler, 40).reshape(3, 4)
        steps = np.diff(clips, axis=1)
        assert (steps == steps[:, :1]).all()  # consecutive frames at one stride per clip
        strides.update(steps[:, 0].tolist())
        assert clips.min() >= 0 and clips.max() < 40
    assert strides == {2, 3, 4, 5}


def test_sampler_limits_stride_to_the_video_and_pads_short_videos():
    sampler = RandomStrideSampleFrames(num_frames=4, stride_range=(1, 8))
    np.random.seed(1)
    for _ in range(100):
        steps = np.diff(_sample(sampler, 10))
        assert 1 <= steps[0] <= 3 and (steps == steps[0]).all()  # span 3 * 3 + 1 = 10 fits
    short = _sample(RandomStrideSampleFrames(num_frames=8, stride_range=(2, 3)), 5)
    assert short.shape == (8,) and short.min() >= 0 and short.max() < 5


def test_sampler_test_mode_is_deterministic_and_centred():
    sampler = RandomStrideSampleFrames(num_frames=4, stride_range=(1, 4))  # test stride 2
    state = np.random.get_state()
    first = _sample(sampler, 21, test_mode=True)
    assert np.array_equal(first, _sample(sampler, 21, test_mode=True))
    assert np.array_equal(first, [7, 9, 11, 13])  # span 7, 15 starts, centre start 7
    assert np.array_equal(np.random.get_state()[1], state[1])  # nothing random drawn
    out = sampler(dict(total_frames=21, test_mode=True))
    assert out['frame_inds'].dtype == np.int64 and out['num_clips'] == 1 and out['num_frames'] == 4
    assert 'test_stride=2' in repr(sampler)


def test_sampler_bad_arguments():
    with pytest.raises(ValueError, match='min <= max'):
        RandomStrideSampleFrames(num_frames=4, stride_range=(3, 2))
    with pytest.raises(ValueError, match='min_stride'):
        RandomStrideSampleFrames(num_frames=4, stride_range=(0, 2))
    with pytest.raises(ValueError, match='pad_mode'):
        RandomStrideSampleFrames(num_frames=4, pad_mode='zeros')


# ---- FocalLoss ------------------------------------------------------------------------------
@pytest.mark.parametrize('class_weight', [None, [1.0, 2.0, 0.5]])
def test_focal_loss_equals_cross_entropy_at_gamma_zero(class_weight):
    torch.manual_seed(0)
    logits, target = torch.randn(8, 3), torch.randint(0, 3, (8,))
    weight = None if class_weight is None else torch.tensor(class_weight)
    expected = F.cross_entropy(logits, target, weight=weight)
    loss = MODELS.build(dict(type='FocalLoss', gamma=0.0, class_weight=class_weight))
    torch.testing.assert_close(loss(logits, target), expected)


def test_focal_loss_down_weights_easy_samples_and_backward():
    logits = torch.tensor([[4.0, 0.0, 0.0], [0.0, 0.5, 0.0]], requires_grad=True)
    target = torch.tensor([0, 1])
    focal = FocalLoss(gamma=2.0, loss_weight=2.0)(logits, target)
    assert 0 < focal < 2.0 * F.cross_entropy(logits, target)
    focal.backward()
    assert torch.isfinite(logits.grad).all()
    with pytest.raises(ValueError, match='gamma'):
        FocalLoss(gamma=-1.0)


# ---- the config through tools/ ------------------------------------------------------------
@pytest.mark.slow
def test_plugin_config_trains_and_tests_through_tools(tmp_path):
    options = ['--cfg-options', f'data_root={tmp_path / "syn"}', 'videos_per_class=(2,1,1)',
               'num_frames=4', 'img_size=32', 'max_epochs=1', 'num_workers=0', 'batch_size=6']
    work_dir = tmp_path / 'work'

    def run(tool, *args):
        result = subprocess.run([sys.executable, osp.join(REPO, 'tools', tool), CONFIG, *args,
                                 '--work-dir', str(work_dir), *options],
                                cwd=str(tmp_path), capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout + result.stderr

    run('train.py')
    checkpoint = work_dir / 'epoch_1.pth'
    assert checkpoint.is_file()
    output = run('test.py', str(checkpoint))
    assert 'acc/top1' in output
