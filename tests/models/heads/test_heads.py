import pytest
import torch

from vidreg.models.heads import ClsHead, RegHead
from vidreg.structures import VideoDataSample
from vidreg.utils import register_all_modules

register_all_modules()


def samples(labels, task):
    return [VideoDataSample().set_gt_label(label, task) for label in labels]


def test_cls_head_logits_loss_and_prediction():
    head = ClsHead(in_channels=8, num_classes=3)
    x = torch.randn(2, 8, requires_grad=True)
    logits = head(x)
    assert logits.shape == (2, 3)
    loss = head.loss(x, samples([0, 2], 'classification'))['loss_cls']
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 2]))
    assert torch.allclose(loss, expected)
    loss.backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    packed = head.pack(head.activate(logits), samples([0, 2], 'classification'))
    assert torch.allclose(packed[0].pred_score.sum(), torch.tensor(1.0))
    assert packed[1].pred_label.item() == logits[1].argmax().item()


def test_reg_head_range_and_losses():
    for loss in ('MSELoss', 'L1Loss', 'SmoothL1Loss'):
        head = RegHead(in_channels=8, num_outputs=2, output_range=(0, 3), loss=dict(type=loss))
        x = torch.randn(4, 8) * 100
        out = head(x)
        assert out.shape == (4, 2) and (out >= 0).all() and (out <= 3).all()
        value = head.loss(x, samples([[1.0, 2.0]] * 4, 'regression'))['loss_reg']
        assert value.ndim == 0 and torch.isfinite(value)


def test_reg_head_rejects_wrong_number_of_targets():
    head = RegHead(in_channels=4, num_outputs=2)
    with pytest.raises(ValueError, match='num_outputs=2'):
        head.loss(torch.randn(2, 4), samples([0.5, 0.1], 'regression'))


def test_class_weights_and_label_smoothing_change_the_loss():
    torch.manual_seed(0)
    x, labels = torch.randn(4, 8), samples([0, 1, 1, 1], 'classification')
    plain = ClsHead(in_channels=8, num_classes=2)
    weighted = ClsHead(in_channels=8, num_classes=2,
                       loss=dict(type='CrossEntropyLoss', class_weight=[5.0, 1.0]))
    weighted.load_state_dict(plain.state_dict())
    assert not torch.allclose(plain.loss(x, labels)['loss_cls'],
                              weighted.loss(x, labels)['loss_cls'])


def test_loss_is_named_and_names_must_contain_loss():
    x = torch.randn(2, 8)
    assert list(ClsHead(in_channels=8, num_classes=2).loss(
        x, samples([0, 1], 'classification'))) == ['loss_cls']
    assert list(RegHead(in_channels=8, loss_name='loss_aux').loss(
        x, samples([0.5, 0.1], 'regression'))) == ['loss_aux']
    for bad in ('cls', 'loss'):  # not summed by mmengine / clashes with the logged total
        with pytest.raises(ValueError, match="must contain 'loss'"):
            ClsHead(in_channels=8, num_classes=2, loss_name=bad)
