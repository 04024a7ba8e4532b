"""RegHead learns standardised targets and predicts in the targets' own units."""
import pytest
import torch

from vidreg.models.heads import RegHead
from vidreg.models.heads.reg_head import target_statistics
from vidreg.structures import VideoDataSample


def samples(labels):
    return [VideoDataSample().set_gt_label(label, 'regression') for label in labels]


def test_statistics_per_target_and_constant_targets_are_not_divided_by_zero():
    targets = torch.tensor([[10.0, 5.0, -3.0], [30.0, 5.0, -3.0], [50.0, 5.0, -3.0 + 1e-9]])
    mean, std = target_statistics(targets)
    assert torch.allclose(mean, torch.tensor([30.0, 5.0, -3.0]))
    # population std of (10, 30, 50); a constant (or rounding-noise) target keeps std 1
    assert torch.allclose(std, torch.tensor([(800 / 3) ** 0.5, 1.0, 1.0]))
    one_mean, one_std = target_statistics(torch.tensor([[7.0, -2.0]]))  # one sample: std 0
    assert one_mean.tolist() == [7.0, -2.0] and one_std.tolist() == [1.0, 1.0]


def test_predictions_are_in_target_units_and_the_loss_is_standardised():
    torch.manual_seed(0)
    head = RegHead(in_channels=4, num_outputs=2)
    x = torch.randn(3, 4)
    standardised = head(x)  # identity statistics until fitted
    head.fit_target_stats(torch.tensor([[0.0, 100.0], [20.0, 300.0]]))
    assert head.target_mean.tolist() == [10.0, 200.0]
    assert head.target_std.tolist() == [10.0, 100.0]
    predicted = head(x)
    assert torch.allclose(predicted, torch.tensor([10.0, 200.0]) + torch.tensor(
        [10.0, 100.0]) * standardised, atol=1e-4)
    labels = [[15.0, 150.0], [5.0, 400.0], [10.0, 200.0]]
    loss = head.loss(x, samples(labels))['loss_reg']
    target_z = (torch.tensor(labels) - torch.tensor([10.0, 200.0])) / torch.tensor([10.0, 100.0])
    assert torch.allclose(loss, torch.nn.functional.mse_loss(standardised, target_z), atol=1e-5)
    packed = head.pack(head.activate(predicted), samples(labels))
    assert torch.equal(packed[1].pred_value, predicted[1])  # what metrics, dumps, export see


def test_output_range_bounds_predictions_in_target_units():
    head = RegHead(in_channels=4, output_range=(0, 3))
    head.fit_target_stats(torch.tensor([[0.0], [3.0], [1.0]]))
    out = head(torch.randn(8, 4) * 100)
    assert (out >= 0).all() and (out <= 3).all()


def test_fit_refuses_targets_that_do_not_fit_the_head():
    head = RegHead(in_channels=4, num_outputs=2)
    with pytest.raises(ValueError, match=r'num_outputs=2.*\(N, 2\).*label_columns'):
        head.fit_target_stats(torch.zeros(5, 3))
    with pytest.raises(ValueError, match='non-finite'):
        head.fit_target_stats(torch.tensor([[0.0, 1.0], [float('inf'), 2.0]]))


def test_statistics_are_saved_and_loaded_with_the_weights():
    head = RegHead(in_channels=4, num_outputs=2)
    head.fit_target_stats(torch.tensor([[1.0, -50.0], [3.0, 50.0]]))
    state = head.state_dict()
    assert state['target_mean'].tolist() == [2.0, 0.0] and state['target_std'].tolist() == [
        1.0, 50.0]
    fresh = RegHead(in_channels=4, num_outputs=2)
    fresh.load_state_dict(state, strict=True)
    x = torch.randn(2, 4)
    assert torch.equal(fresh(x), head(x))


def test_a_state_dict_from_before_the_statistics_loads_and_predicts_as_it_did():
    torch.manual_seed(0)
    head = RegHead(in_channels=4, num_outputs=2)
    old = {k: v for k, v in head.state_dict().items() if not k.startswith('target_')}
    x = torch.randn(2, 4)
    expected = head.fc(x)  # an unstandardised head's output
    fresh = RegHead(in_channels=4, num_outputs=2)
    fresh.fit_target_stats(torch.tensor([[5.0, 5.0], [9.0, 1.0]]))  # overwritten by the load
    result = fresh.load_state_dict(old, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert torch.equal(fresh(x), expected)
    assert 'target_mean' not in old  # the caller's dict is left alone
