import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub

from vidreg.models.data_preprocessors import MixUpCutMix, VideoDataPreprocessor
from vidreg.models.heads import ClsHead
from vidreg.structures import VideoDataSample

K = 4


def batch(labels=(0, 1, 2), task='classification'):
    torch.manual_seed(0)
    inputs = dict(imgs=torch.randn(len(labels), 1, 3, 2, 8, 8))  # (B, V, C, T, H, W)
    return inputs, [VideoDataSample().set_gt_label(label, task) for label in labels]


def at_iteration(iteration, seed=0):
    hub = MessageHub.get_current_instance()
    hub.update_info('seed', seed)
    hub.update_info('iter', iteration)


def test_mixup_blends_each_clip_with_its_neighbour_and_mixes_the_one_hot_targets():
    at_iteration(0)
    inputs, samples = batch()
    mixed, samples = MixUpCutMix(num_classes=K, cutmix_alpha=0)(dict(inputs), samples)
    lam = float(samples[1].gt_score[1])  # clip 1 (class 1) mixed with clip 0 (class 0)
    assert 0 < lam < 1
    assert torch.allclose(samples[1].gt_score, torch.tensor([1 - lam, lam, 0, 0]))
    assert torch.allclose(mixed['imgs'][1], lam * inputs['imgs'][1] + (1 - lam) * inputs['imgs'][0])
    assert samples[1].gt_label == 1  # the sample's own class, for metrics


def test_cutmix_box_is_the_same_for_every_frame_and_channel():
    boxes = 0
    for iteration in range(4):
        at_iteration(iteration)
        inputs, samples = batch()
        mixed, samples = MixUpCutMix(num_classes=K, mixup_alpha=0)(dict(inputs), samples)
        changed = mixed['imgs'][1] != inputs['imgs'][1]  # (V, C, T, H, W)
        box = changed[0, 0, 0]
        assert (changed == box).all()
        assert torch.isclose(samples[1].gt_score[0], box.float().mean())  # area from clip 0
        boxes += bool(box.any())
    assert boxes


def test_draws_follow_the_runner_seed_and_iteration_not_the_global_rng():
    def mix(iteration, seed=0):
        at_iteration(iteration, seed)
        torch.manual_seed(iteration * 7 + 1)  # whatever the global RNG holds
        return MixUpCutMix(num_classes=K)(*batch())[0]['imgs']

    assert torch.equal(mix(5), mix(5))
    assert not torch.equal(mix(5), mix(6)) and not torch.equal(mix(5), mix(5, seed=1))


def test_soft_targets_reach_the_loss_through_the_head():
    at_iteration(0)
    preprocessor = VideoDataPreprocessor(batch_augments=dict(type='MixUpCutMix', num_classes=K))
    inputs, samples = batch()
    data = dict(inputs=dict(imgs=torch.zeros(3, 1, 2, 3, 8, 8, dtype=torch.uint8)),
                data_samples=samples)
    assert 'gt_score' not in preprocessor(data, False)['data_samples'][0]  # not when testing
    samples = preprocessor(data, True)['data_samples']
    head = ClsHead(in_channels=5, num_classes=K)
    x = torch.randn(3, 5)
    soft = torch.stack([s.gt_score for s in samples])
    expected = -(soft * F.log_softmax(head(x), 1)).sum(1).mean()
    assert torch.isclose(head.loss(x, samples)['loss_cls'], expected)


def test_regression_targets_and_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match='regression config'):
        MixUpCutMix(num_classes=K)(*batch(labels=(0.5, 1.5), task='regression'))
    with pytest.raises(ValueError, match='one of them > 0'):
        MixUpCutMix(num_classes=K, mixup_alpha=0, cutmix_alpha=0)
