"""MultiLabelHead: sigmoid scores, multi-hot targets, the stored threshold."""
import pytest
import torch

from vidreg.models.heads import MultiLabelHead
from vidreg.structures import VideoDataSample


def _samples(labels):
    return [VideoDataSample().set_gt_label(label, 'multilabel') for label in labels]


def test_loss_backward_and_predictions_at_the_threshold():
    head = MultiLabelHead(in_channels=8, num_classes=3, threshold=0.4)
    x = torch.randn(2, 8, requires_grad=True)
    losses = head.loss(x, _samples([[1, 0, 1], [0, 0, 0]]))
    assert set(losses) == {'loss_cls'} and torch.isfinite(losses['loss_cls'])
    losses['loss_cls'].backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    scores = torch.tensor([[0.9, 0.4, 0.1], [0.39, 0.41, 0.5]])
    samples = head.pack(scores, None)
    assert samples[0].pred_label.tolist() == [1, 1, 0]  # at or above 0.4
    assert samples[1].pred_label.tolist() == [0, 1, 1]
    assert float(samples[0].pred_threshold) == pytest.approx(0.4)
    assert torch.allclose(head.activate(torch.zeros(1, 3)), torch.full((1, 3), 0.5))


def test_threshold_is_a_checkpointed_buffer_in_range():
    head = MultiLabelHead(in_channels=4, num_classes=2)
    head.set_threshold(0.3)
    other = MultiLabelHead(in_channels=4, num_classes=2)
    other.load_state_dict(head.state_dict())
    assert float(other.threshold) == pytest.approx(0.3)
    with pytest.raises(ValueError, match=r'threshold must lie in \(0, 1\)'):
        head.set_threshold(1.0)


def test_labels_of_another_class_count_are_named():
    head = MultiLabelHead(in_channels=4, num_classes=3)
    with pytest.raises(ValueError, match='3 classes but the labels are multi-hot vectors of 2'):
        head.loss(torch.randn(1, 4), _samples([[1, 0]]))
