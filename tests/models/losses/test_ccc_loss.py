"""CCCLoss: 1 - Lin's concordance, the same on standardised targets as in their units."""
import numpy as np
import torch

from vidreg.evaluation.metrics.agreement_scores import concordance
from vidreg.models.heads import RegHead
from vidreg.models.losses import CCCLoss, concordance_correlation
from vidreg.structures import VideoDataSample


def test_ccc_matches_the_metric_and_is_one_only_for_equal_values():
    torch.manual_seed(0)
    pred, target = torch.randn(8, 2, dtype=torch.float64), torch.randn(8, 2, dtype=torch.float64)
    ccc = concordance_correlation(pred, target, eps=0.0)
    for k in range(2):
        assert np.isclose(ccc[k].item(), concordance(pred[:, k].numpy(), target[:, k].numpy()))
    assert torch.allclose(CCCLoss()(target, target), torch.zeros((), dtype=torch.float64))
    # a bias Pearson ignores lowers the CCC
    assert concordance_correlation(target + 1, target)[0] < 0.9


def test_reg_head_with_ccc_loss_on_standardised_targets_is_one_minus_ccc_in_units():
    torch.manual_seed(0)
    head = RegHead(in_channels=4, num_outputs=2, loss=dict(type='CCCLoss'))
    labels = torch.tensor([[10.0, 300.0], [30.0, 100.0], [55.0, 250.0], [20.0, 400.0]])
    head.fit_target_stats(labels)
    x = torch.randn(4, 4, requires_grad=True)
    samples = [VideoDataSample().set_gt_label(row.tolist(), 'regression') for row in labels]
    loss = head.loss(x, samples)['loss_reg']
    pred = head(x).detach().double().numpy()  # in the targets' units
    expected = np.mean([1 - concordance(pred[:, k], labels[:, k].double().numpy())
                        for k in range(2)])
    assert np.isclose(loss.item(), expected, atol=1e-5)
    loss.backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
