"""BaseRecognizer's contract: one override adds a loss branch; dict inputs of several modalities."""
import re

import numpy as np
import pytest
import torch
from mmengine.optim import OptimWrapper
from torch.nn import functional as F

from vidreg.datasets import video_collate
from vidreg.models.heads import RegHead
from vidreg.models.recognizers import Recognizer
from vidreg.pipeline import FLOW_FIELDS, RGB_FRAMES, PackVideoInputs
from vidreg.registry import MODELS
from vidreg.structures import VideoDataSample
from vidreg.utils import register_all_modules

register_all_modules()


class AuxRecognizer(Recognizer):
    """Test-local multi-task recognizer: an auxiliary regression branch on the clip embedding.

    Only :meth:`loss_by_feat` is overridden; the auxiliary head regresses the class index.
    """

    def __init__(self, *, aux_weight: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.aux_weight = aux_weight
        self.aux_head = RegHead(in_channels=self.temporal.out_channels, loss_name='loss_aux')

    def loss_by_feat(self, feats, data_samples):
        losses = super().loss_by_feat(feats, data_samples)
        aux = self.aux_head.loss(feats, data_samples)['loss_aux']
        return dict(losses, loss_aux=self.aux_weight * aux)


@pytest.fixture
def aux_recognizer():
    """Built from a config dict, as a config would build it (registered for this test only)."""
    MODELS.register_module(module=AuxRecognizer, force=True)
    try:
        torch.manual_seed(0)
        yield MODELS.build(dict(
            type='AuxRecognizer', aux_weight=0.25,
            backbone=dict(type='TinyConv2D', channels=(4, 8)),
            temporal=dict(type='TemporalAvgPool'), head=dict(type='ClsHead', num_classes=3)))
    finally:
        MODELS.module_dict.pop('AuxRecognizer')


def _labelled(labels):
    return [VideoDataSample().set_gt_label(label, 'classification') for label in labels]


def test_two_losses_are_logged_by_name_and_summed_with_their_weight(aux_recognizer):
    model = aux_recognizer.eval()  # no dropout, fixed BatchNorm: the recomputation below matches
    clips, labels = dict(imgs=torch.randn(2, 2, 3, 4, 16, 16)), [1, 2]  # (B, V, C, T, H, W)
    losses = model(clips, _labelled(labels), mode='loss')
    assert set(losses) == {'loss_cls', 'loss_aux'}
    _, log_vars = model.parse_losses(losses)
    feats = model.extract_feat(dict(imgs=clips['imgs'].flatten(0, 1)))  # (B * V, E)
    target = torch.tensor([1, 1, 2, 2])  # labels repeated over the views
    cls = F.cross_entropy(model.head(feats), target)
    aux = F.mse_loss(model.aux_head(feats), target[:, None].float())
    torch.testing.assert_close(log_vars['loss_cls'], cls)
    torch.testing.assert_close(log_vars['loss_aux'], 0.25 * aux)
    torch.testing.assert_close(log_vars['loss'], cls + 0.25 * aux)  # the logged total

    model.train()
    data = dict(inputs=dict(imgs=torch.randint(0, 255, (2, 1, 4, 3, 16, 16), dtype=torch.uint8)),
                data_samples=_labelled(labels))
    logged = model.train_step(data, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1)))
    assert set(logged) == {'loss', 'loss_cls', 'loss_aux'}
    torch.testing.assert_close(logged['loss'], logged['loss_cls'] + logged['loss_aux'])


def test_each_loss_reaches_only_its_modules(aux_recognizer):
    model = aux_recognizer.train()
    losses = model(dict(imgs=torch.randn(2, 1, 3, 4, 16, 16)), _labelled([0, 2]), mode='loss')
    parts = dict(shared=list(model.backbone.parameters()) + list(model.temporal.parameters()),
                 head=list(model.head.parameters()), aux_head=list(model.aux_head.parameters()))
    reaches = dict(loss_cls={'shared', 'head'}, loss_aux={'shared', 'aux_head'})
    for name, expected in reaches.items():
        for part, params in parts.items():
            grads = torch.autograd.grad(losses[name], params, retain_graph=True,
                                        allow_unused=True)
            reached = any(g is not None and g.abs().sum() > 0 for g in grads)
            assert reached == (part in expected), (name, part)


def test_loss_and_predict_runs_the_network_once_and_matches_both_modes(aux_recognizer):
    model = aux_recognizer.eval()
    calls = []
    model.backbone.register_forward_hook(lambda *_: calls.append(1))
    clips = dict(imgs=torch.randn(2, 3, 3, 4, 16, 16))
    with torch.no_grad():
        losses, preds = model.loss_and_predict(clips, _labelled([0, 1]))
        assert len(calls) == 1
        expected_losses = model(clips, _labelled([0, 1]), mode='loss')
        expected = model(clips, _labelled([0, 1]), mode='predict')
    assert set(losses) == {'loss_cls', 'loss_aux'}  # the override's branch is included
    for key, value in expected_losses.items():
        torch.testing.assert_close(losses[key], value)
    for got, want in zip(preds, expected):
        torch.testing.assert_close(got.pred_score, want.pred_score)
        assert got.gt_label == want.gt_label


def _two_modality_sample(seed, label):
    """What a pipeline hands PackVideoInputs: RGB frames and 2-channel flow fields."""
    rng = np.random.default_rng(seed)
    results = dict(imgs=rng.integers(0, 256, (4, 3, 32, 32), dtype=np.uint8),
                   flow=rng.integers(0, 256, (4, 2, 32, 32), dtype=np.uint8),
                   num_frames=4, num_clips=1, filename=f'v{seed}.avi', label=label,
                   task='classification')
    return PackVideoInputs(keys=('imgs', 'flow'))(results)


def _flow_recognizer():
    """A recognizer of the flow input, built (as build_model does) with the specs of a
    pipeline that packs RGB frames and 2-channel flow fields."""
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='Recognizer', input_key='flow', backbone=dict(type='TinyConv2D', channels=(4, 8)),
        temporal=dict(type='TemporalAvgPool'), head=dict(type='ClsHead', num_classes=3)),
        default_args=dict(modalities=dict(imgs=RGB_FRAMES, flow=FLOW_FIELDS)))


def test_two_modality_batch_through_collate_preprocessor_and_recognizer():
    batch = video_collate([_two_modality_sample(0, 1), _two_modality_sample(1, 2)])
    assert batch['inputs']['imgs'].shape == (2, 1, 4, 3, 32, 32)
    assert batch['inputs']['flow'].shape == (2, 1, 4, 2, 32, 32)
    model = _flow_recognizer()
    data = model.data_preprocessor(batch)
    assert model.backbone.in_channels == 2  # from the flow spec, stated nowhere
    flow = (batch['inputs']['flow'].permute(0, 1, 3, 2, 4, 5).float() - 127.5) / 127.5
    torch.testing.assert_close(data['inputs']['flow'], flow)  # its own statistics
    assert data['inputs']['imgs'].shape == (2, 1, 3, 4, 32, 32)  # ImageNet default

    logged = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1)))
    assert set(logged) == {'loss', 'loss_cls'} and torch.isfinite(logged['loss'])
    model.eval()
    with torch.no_grad():
        preds = model.val_step(batch)
        scores = model(data['inputs'], mode='tensor')  # (B * V, K)
        other_rgb = dict(data['inputs'], imgs=torch.zeros_like(data['inputs']['imgs']))
        torch.testing.assert_close(model(other_rgb, mode='tensor'), scores)  # reads flow only
        only_flow = dict(flow=data['inputs']['flow'])
        torch.testing.assert_close(model(only_flow, mode='tensor'), scores)
    assert [p.pred_score.shape for p in preds] == [(3,), (3,)]


def test_inputs_are_a_dict_read_by_input_key_with_the_same_views():
    model = Recognizer(backbone=dict(type='TinyConv2D', channels=(4, 8)),
                       temporal=dict(type='TemporalAvgPool'),
                       head=dict(type='ClsHead', num_classes=3))
    assert model.input_key == 'imgs'  # the default: the RGB frames
    inputs = dict(imgs=torch.randn(2, 1, 3, 4, 16, 16), flow=torch.randn(2, 1, 2, 4, 16, 16))
    assert model(inputs).shape == (2, 3)
    with pytest.raises(ValueError, match=r"input_key='imgs'.*\['flow'\]"):
        model(dict(flow=inputs['flow']))
    with pytest.raises(TypeError, match='dict of modalities'):
        model(inputs['imgs'])
    with pytest.raises(ValueError, match='same views'):
        model(dict(inputs, flow=torch.randn(2, 3, 2, 4, 16, 16)))
    with pytest.raises(ValueError, match=r"inputs\['imgs'\] must be"):
        model(dict(imgs=torch.randn(3, 4, 16, 16)))


def _tiny_stream(key, channels):
    return dict(type='Recognizer', input_key=key,
                backbone=dict(type='TinyConv2D', in_channels=channels, channels=(4, 8)),
                temporal=dict(type='TemporalAvgPool'), head=dict(type='ClsHead', num_classes=3))


# one-input and two-stream (dict of modalities) recognizers, and their (B, V, C, T, H, W) inputs
VIEW_MODELS = dict(
    one_input=(_tiny_stream('imgs', 3), dict(imgs=(2, 3, 3, 4, 16, 16))),
    two_stream=(dict(type='LateFusionRecognizer',
                     streams=dict(rgb=_tiny_stream('imgs', 3), flow=_tiny_stream('flow', 4))),
                dict(imgs=(2, 3, 3, 4, 16, 16), flow=(2, 3, 4, 1, 16, 16))))


@pytest.mark.parametrize('name', list(VIEW_MODELS))
@pytest.mark.parametrize('chunk', [1, 4, 6, 7])
def test_views_in_chunks_give_the_outputs_of_one_pass(name, chunk):
    """B * V = 6 clips, at most ``chunk`` per pass (BatchNorm in eval mode: per clip)."""
    cfg, shapes = VIEW_MODELS[name]
    torch.manual_seed(0)
    whole = MODELS.build(cfg).eval()
    chunked = MODELS.build(dict(cfg, max_views_per_batch=chunk)).eval()
    chunked.load_state_dict(whole.state_dict())
    generator = torch.Generator().manual_seed(1)
    inputs = {key: torch.randn(shape, generator=generator) for key, shape in shapes.items()}
    passes = []
    first_backbone = chunked.streams['rgb'].backbone if name == 'two_stream' else chunked.backbone
    first_backbone.register_forward_hook(lambda module, args, out: passes.append(len(args[0])))
    with torch.no_grad():
        torch.testing.assert_close(chunked(inputs, mode='tensor'), whole(inputs, mode='tensor'))
        assert passes == [min(chunk, 6 - start) for start in range(0, 6, chunk)]
        want = whole(inputs, _labelled([0, 2]), mode='predict')
        got = chunked(inputs, _labelled([0, 2]), mode='predict')
        losses, preds = chunked.loss_and_predict(inputs, _labelled([0, 2]))  # validation
        torch.testing.assert_close(losses, whole(inputs, _labelled([0, 2]), mode='loss'))
    for sample, pred, expected in zip(got, preds, want):
        torch.testing.assert_close(sample.pred_score, expected.pred_score)
        torch.testing.assert_close(sample.pred_views, expected.pred_views)  # (V, K)
        torch.testing.assert_close(pred.pred_score, expected.pred_score)


def test_training_runs_the_views_in_one_pass():
    """BatchNorm's training statistics are the whole batch's: train mode never chunks."""
    model = MODELS.build(dict(_tiny_stream('imgs', 3), max_views_per_batch=2)).train()
    passes = []
    model.backbone.register_forward_hook(lambda module, args, out: passes.append(len(args[0])))
    inputs = dict(imgs=torch.randn(2, 3, 3, 4, 16, 16))
    model(inputs, _labelled([0, 1]), mode='loss')
    model(inputs, mode='tensor')  # the bare loop of tools/benchmark_train.py
    assert passes == [6, 6]
    model.eval()(inputs, _labelled([0, 1]), mode='loss')
    assert passes == [6, 6, 2, 2, 2]


@pytest.mark.parametrize('bad', [0, -1, 2.5, True, '4'])
def test_max_views_per_batch_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match=r'max_views_per_batch must be a positive integer.*'
                                         + re.escape(repr(bad))):
        MODELS.build(dict(_tiny_stream('imgs', 3), max_views_per_batch=bad))
