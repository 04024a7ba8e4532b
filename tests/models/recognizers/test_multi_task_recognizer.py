"""MultiTaskRecognizer: auxiliary losses in training only, gradients, plain checkpoints."""
import pytest
import torch

from vidreg.models.recognizers import MultiTaskRecognizer, Recognizer
from vidreg.structures import VideoDataSample
from vidreg.utils import register_all_modules

register_all_modules()

# the seed's layout at tiny width: frames independent up to layer3 (8 x 4 x 4 for 8x32x32)
SEED_3D = dict(type='ResNet3D', depth=18, base_channels=4, conv1_kernel=(1, 7, 7),
               pool1_kernel=(1, 3, 3), pool1_stride=(1, 2, 2), temporal_kernels=(1, 1, 1, 3),
               spatial_strides=(1, 2, 1, 2), temporal_strides=(1, 1, 1, 2))
BACKBONES = {  # backbone, temporal, E, layer3 (D, T, H=W) for 8x32x32 clips
    'resnet3d': (SEED_3D, dict(type='TemporalAvgPool'), 32, (16, 8, 4)),
    'r3d18': (dict(type='VideoResNet', arch='r3d', depth=18, base_channels=4),
              dict(type='TemporalAvgPool'), 32, (16, 2, 4)),
    'resnet2d_tcn': (dict(type='ResNet2D', depth=18),
                     dict(type='TCN', proj_channels=4, num_levels=2, hidden_channels=8,
                          kernel_size=3), 8, (256, 8, 2)),
}


def build(kind='resnet3d', aux=('direction', 'tracking'), cls_weight=1.0):
    backbone, temporal, embed, (depth, frames, size) = BACKBONES[kind]
    gap = max(1, (frames - 1) // 3)
    branches = dict(
        direction=dict(type='ArrowOfTimeLoss', in_channels=embed, stage='layer3'),
        tracking=dict(type='CycleConsistencyLoss', in_channels=depth, feat_size=(size, size),
                      video_len=min(3, frames - 1), frame_gap=gap, proj_channels=8))
    return MultiTaskRecognizer(backbone=backbone, temporal=temporal,
                               head=dict(type='ClsHead', num_classes=3),
                               aux_losses={name: branches[name] for name in aux},
                               cls_weight=cls_weight)


def samples(batch):
    return [VideoDataSample().set_gt_label(i % 3, 'classification') for i in range(batch)]


def clips(batch=2):
    return dict(imgs=torch.randn(batch, 1, 3, 8, 32, 32))  # (B, V, C, T, H, W)


@pytest.mark.parametrize('kind', sorted(BACKBONES))
def test_losses_named_and_weighted_on_every_backbone(kind):
    torch.manual_seed(0)
    model = build(kind)
    losses = model(clips(), samples(2), mode='loss')
    assert set(losses) == {'loss_cls', 'loss_direction', 'loss_tracking'}
    assert all(torch.isfinite(value) for value in losses.values())
    sum(losses.values()).backward()


@pytest.mark.parametrize('name, reached, untouched', [
    ('direction', ['backbone.conv1', 'backbone.layer4', 'aux_losses.direction.fc_bin'],
     ['head.', 'aux_losses.tracking.']),
    ('tracking', ['backbone.conv1', 'backbone.layer3', 'aux_losses.tracking.proj',
                  'aux_losses.tracking.transform_net'],
     ['head.', 'backbone.layer4', 'aux_losses.direction.']),
])
def test_gradient_reaches_trunk_and_own_head_only(name, reached, untouched):
    torch.manual_seed(0)
    model = build()
    model(clips(3), samples(3), mode='loss')[f'loss_{name}'].backward()
    grads = {key: p.grad for key, p in model.named_parameters()}
    for prefix in reached:
        assert any(g is not None and g.abs().sum() > 0
                   for key, g in grads.items() if key.startswith(prefix)), prefix
    for prefix in untouched:
        assert all(g is None or g.abs().sum() == 0
                   for key, g in grads.items() if key.startswith(prefix)), prefix


def test_self_supervised_only_needs_no_labels():
    torch.manual_seed(0)
    model = build(cls_weight=0.0)
    losses = model(clips(1), None, mode='loss')
    assert set(losses) == {'loss_direction', 'loss_tracking'}


def test_inference_and_checkpoint_are_the_plain_recognizers():
    torch.manual_seed(0)
    model = build().eval()
    backbone, temporal, _, _ = BACKBONES['resnet3d']
    plain = Recognizer(backbone=backbone, temporal=temporal,
                       head=dict(type='ClsHead', num_classes=3)).eval()
    state = model.state_dict()
    assert any(key.startswith('aux_losses.') for key in state)
    plain.load_state_dict(MultiTaskRecognizer.plain_state_dict(state), strict=True)
    x = clips()
    with torch.no_grad():
        assert torch.equal(model(x, mode='tensor'), plain(x, mode='tensor'))
        predicted = plain(x, samples(2), mode='predict')
    assert predicted[0].pred_score.shape == (3,)
    result = plain.load_state_dict(state, strict=False)  # what mmengine's load_from does
    assert result.missing_keys == []
    assert all(key.startswith('aux_losses.') for key in result.unexpected_keys)


def test_bad_configs_are_named():
    with pytest.raises(ValueError, match='aux_losses.*stage'):
        MultiTaskRecognizer(backbone=SEED_3D, temporal=dict(type='TemporalAvgPool'),
                            head=dict(type='ClsHead', num_classes=3),
                            aux_losses=dict(direction=dict(type='ArrowOfTimeLoss',
                                                           in_channels=32, stage='res4')))
    with pytest.raises(ValueError, match='out_stages'):
        MultiTaskRecognizer(backbone={**SEED_3D, 'out_stages': ('layer3',)},
                            temporal=dict(type='TemporalAvgPool'),
                            head=dict(type='ClsHead', num_classes=3), aux_losses={})


def test_validation_runs_the_classifier_only():
    torch.manual_seed(0)
    model = build().eval()
    calls = []
    for branch in model.aux_losses.values():
        branch.register_forward_hook(lambda *args: calls.append(args))
    with torch.no_grad():
        losses, predicted = model.loss_and_predict(clips(), samples(2))
        model(clips(), mode='predict')
    assert set(losses) == {'loss_cls'} and len(predicted) == 2
    assert calls == []
