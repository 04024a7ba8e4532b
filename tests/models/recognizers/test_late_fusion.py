"""LateFusionRecognizer + LateFusionHead: average of softmax scores with weights, learned fusion,
joint training with per-stream losses, frozen streams, separately trained stream checkpoints."""
import pytest
import torch

from vidreg.config import ConfigError
from vidreg.models.heads import LateFusionHead
from vidreg.models.recognizers import LateFusionRecognizer
from vidreg.structures import VideoDataSample
from vidreg.utils import register_all_modules

register_all_modules()

K = 3


def _stream(key: str, channels: int) -> dict:
    return dict(type='Recognizer', input_key=key,
                backbone=dict(type='TinyConv2D', in_channels=channels, channels=(4, 8)),
                temporal=dict(type='TemporalAvgPool'), head=dict(type='ClsHead', num_classes=K))


def _model(**kwargs) -> LateFusionRecognizer:
    torch.manual_seed(0)
    return LateFusionRecognizer(streams=dict(rgb=_stream('imgs', 3), flow=_stream('flow', 4)),
                                **kwargs)


def _inputs() -> dict:
    generator = torch.Generator().manual_seed(0)
    return dict(imgs=torch.randn(2, 1, 3, 4, 16, 16, generator=generator),  # (B, V, C, T, H, W)
                flow=torch.randn(2, 1, 4, 1, 16, 16, generator=generator))  # 2L = 4 channels


def _samples() -> list:
    return [VideoDataSample().set_gt_label(i, 'classification') for i in range(2)]


def test_average_fusion_is_the_weighted_mean_of_stream_softmaxes():
    model = _model(head=dict(type='LateFusionHead', weights={'rgb': 1, 'flow': 1.5})).eval()
    inputs = _inputs()
    with torch.no_grad():
        rgb = model.streams['rgb'](inputs, mode='tensor').softmax(1)  # one view: (B, K)
        flow = model.streams['flow'](inputs, mode='tensor').softmax(1)
        samples = model.predict(inputs, _samples())
    expected = (rgb + 1.5 * flow) / 2.5
    torch.testing.assert_close(torch.stack([s.pred_score for s in samples]), expected)
    assert not any(p.requires_grad for p in model.head.parameters())


def test_fixed_fusion_weights_are_the_configs_whatever_a_checkpoint_holds():
    saved = _model(head=dict(type='LateFusionHead', weights={'rgb': 1, 'flow': 1.5})).state_dict()
    model = _model(head=dict(type='LateFusionHead', weights={'rgb': 1, 'flow': 1}))
    model.load_state_dict(saved)  # holds the 1 : 1.5 layer
    torch.testing.assert_close(model.head.fc.weight, torch.cat([torch.eye(K), torch.eye(K)], 1) / 2)
    learned = _model(head=dict(type='LateFusionHead', weights={'rgb': 1, 'flow': 1},
                                    mode='learned'))
    learned.load_state_dict(saved)  # a learned layer is the checkpoint's
    torch.testing.assert_close(learned.head.fc.weight, saved['head.fc.weight'])


def test_joint_training_backpropagates_fused_and_stream_losses_into_both_streams():
    model = _model(stream_loss_weight=0.5)
    losses = model.loss(_inputs(), _samples())
    assert set(losses) == {'loss_cls', 'loss_rgb', 'loss_flow'}
    sum(losses.values()).backward()
    for name in ('rgb', 'flow'):
        grads = [p.grad for p in model.streams[name].parameters()]
        assert all(g is not None and g.abs().sum() > 0 for g in grads), name


def test_learned_fusion_starts_as_weighted_geometric_mean_and_trains():
    head = LateFusionHead(in_channels=2 * K, num_classes=K, mode='learned', weights=(1, 3))
    logits = torch.randn(2, 2 * K)
    log_p = logits.reshape(2, 2, K).log_softmax(-1)
    torch.testing.assert_close(head(logits), 0.25 * log_p[:, 0] + 0.75 * log_p[:, 1])
    assert all(p.requires_grad for p in head.parameters())
    with pytest.raises(ValueError, match='one per stream'):
        LateFusionHead(in_channels=2 * K, num_classes=K, weights=(1, 2, 3))


def test_frozen_streams_train_only_the_fusion_layer():
    model = _model(head=dict(type='LateFusionHead', mode='learned'), freeze_streams=True).train()
    assert not model.streams['rgb'].training
    losses = model.loss(_inputs(), _samples())
    assert set(losses) == {'loss_cls'}
    losses['loss_cls'].backward()
    assert model.head.fc.weight.grad is not None
    assert all(p.grad is None for p in model.streams.parameters())


def test_separately_trained_stream_checkpoints_are_loaded_by_init_weights(tmp_path):
    trained = _model().streams['flow']
    torch.nn.init.constant_(trained.head.fc.bias, 0.25)
    torch.save(dict(state_dict=trained.state_dict()), tmp_path / 'flow.pth')
    flow = dict(_stream('flow', 4), init_cfg=dict(type='Pretrained',
                                                  checkpoint=str(tmp_path / 'flow.pth')))
    model = LateFusionRecognizer(streams=dict(rgb=_stream('imgs', 3), flow=flow))
    model.init_weights()
    torch.testing.assert_close(model.streams['flow'].head.fc.bias, torch.full((K,), 0.25))
    torch.testing.assert_close(model.streams['flow'].backbone.layers[0].weight,
                               trained.backbone.layers[0].weight)


def test_streams_must_agree_on_classes():
    other = dict(_stream('flow', 4), head=dict(type='ClsHead', num_classes=K + 1))
    with pytest.raises(ValueError, match='same num_classes'):
        LateFusionRecognizer(streams=dict(rgb=_stream('imgs', 3), flow=other))


def test_multi_view_prediction_keeps_each_views_scores():
    model = _model().eval()
    inputs = {key: torch.cat([value, value.flip(-1)], dim=1) for key, value in _inputs().items()}
    with torch.no_grad():
        samples = model.predict(inputs, _samples())  # V = 2
    for sample in samples:
        assert sample.pred_views.shape == (2, K)
        torch.testing.assert_close(sample.pred_views.mean(0), sample.pred_score)


@pytest.mark.parametrize('used', [None, ('flow', 'rgb')])
def test_fusion_weights_follow_their_streams_by_name(used):
    torch.manual_seed(0)
    streams = dict(flow=_stream('flow', 4), rgb=_stream('imgs', 3))  # flow written first
    model = LateFusionRecognizer(streams=streams, streams_used=used, head=dict(
        type='LateFusionHead', weights={'rgb': 1, 'flow': 1.5}))
    assert list(model.streams) == ['flow', 'rgb'] and model.head.weights == (1.5, 1.0)
    alone = LateFusionRecognizer(streams=streams, streams_used=('rgb',), head=dict(
        type='LateFusionHead', weights={'rgb': 1, 'flow': 1.5}))
    assert alone.head.weights == (1.0,)
    for weights in ((1, 1.5), {'rgb': 1, 'sg3i': 1.5}):
        with pytest.raises(ConfigError, match="by name, {'flow': 1.0, 'rgb': 1.0}"):
            LateFusionRecognizer(streams=streams, head=dict(type='LateFusionHead',
                                                            weights=weights))
