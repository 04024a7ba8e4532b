import torch

from vidreg.models.recognizers import Recognizer
from vidreg.structures import VideoDataSample
from vidreg.utils import register_all_modules

register_all_modules()


def build(head=None):
    return Recognizer(backbone=dict(type='TinyConv2D', channels=(4, 8)),
                      temporal=dict(type='TemporalAvgPool'),
                      head=head or dict(type='ClsHead', num_classes=3))


def test_channels_are_wired_from_producer_to_consumer():
    model = build()
    assert model.temporal.out_channels == model.backbone.out_channels == 8
    assert model.head.in_channels == 8


def test_train_step_and_views():
    torch.manual_seed(0)
    model = build()
    data = dict(inputs=dict(imgs=torch.randint(0, 255, (2, 1, 4, 3, 16, 16), dtype=torch.uint8)),
                data_samples=[VideoDataSample().set_gt_label(i, 'classification')
                              for i in (0, 2)])
    optim = torch.optim.SGD(model.parameters(), lr=0.1)
    from mmengine.optim import OptimWrapper
    losses = model.train_step(data, OptimWrapper(optim))
    assert torch.isfinite(losses['loss'])


def test_predict_averages_view_scores():
    torch.manual_seed(0)
    model = build().eval()
    clips = dict(imgs=torch.randn(2, 3, 3, 4, 16, 16))  # (B, V, C, T, H, W)
    with torch.no_grad():
        scores = model(clips, mode='tensor').softmax(1).view(2, 3, 3).mean(1)
        preds = model(clips, [VideoDataSample(), VideoDataSample()], mode='predict')
    assert torch.allclose(preds[0].pred_score, scores[0], atol=1e-6)
    assert preds[1].pred_label.item() == scores[1].argmax().item()


def test_loss_repeats_labels_over_views():
    model = build().eval()
    clips = dict(imgs=torch.randn(2, 2, 3, 4, 16, 16))
    samples = [VideoDataSample().set_gt_label(i, 'classification') for i in (1, 2)]
    loss = model(clips, samples, mode='loss')['loss_cls']
    logits = model(clips, mode='tensor')
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([1, 1, 2, 2]))
    assert torch.allclose(loss, expected)


def test_regression_predict():
    model = build(dict(type='RegHead', num_outputs=2)).eval()
    preds = model(dict(imgs=torch.randn(2, 1, 3, 4, 16, 16)),
                  [VideoDataSample(), VideoDataSample()], mode='predict')
    assert preds[0].pred_value.shape == (2,)
