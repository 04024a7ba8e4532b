"""Arrow of time: labels made with the reversal, for any batch size."""
import pytest
import torch

from vidreg.models.ssl import ArrowOfTimeBranch
from vidreg.models.ssl.arrow_of_time_branch import reverse_some


@pytest.mark.parametrize('batch', [1, 2, 3, 5, 7])
@pytest.mark.parametrize('fraction', [0.0, 0.3, 0.5, 1.0])
def test_label_is_one_exactly_for_reversed_rows(batch, fraction):
    torch.manual_seed(batch)
    feats = torch.randn(batch, 2, 5, 3, 3)  # (N, D, T, H, W), no row is a palindrome
    for _ in range(20):
        mixed, labels = reverse_some(feats, fraction)
        assert labels.shape == (batch,) and labels.dtype == torch.long
        for row in range(batch):
            expected = feats[row].flip(1) if labels[row] else feats[row]
            assert torch.equal(mixed[row], expected)
        assert int(fraction * batch) <= int(labels.sum()) <= -(-fraction * batch // 1)


def test_single_clip_is_reversed_sometimes():
    torch.manual_seed(0)
    seen = {int(reverse_some(torch.randn(1, 1, 4, 1, 1), 0.5)[1]) for _ in range(50)}
    assert seen == {0, 1}


def test_head_sees_the_rows_its_labels_describe():
    torch.manual_seed(0)
    loss = ArrowOfTimeBranch(in_channels=4, stage=None)
    feats = torch.randn(5, 4, 6, 1, 1)
    # a trunk that reads the direction: last frame minus first frame of channel 0
    seen = []

    def trunk(x):
        seen.append(x)
        return x.mean((3, 4))[:, :, -1] - x.mean((3, 4))[:, :, 0]

    _, labels = loss.logits(feats, trunk)
    reversed_rows = [not torch.equal(seen[0][i], feats[i]) for i in range(5)]
    assert labels.tolist() == [int(r) for r in reversed_rows]
    with pytest.raises(ValueError, match='reverse_fraction'):
        ArrowOfTimeBranch(in_channels=4, reverse_fraction=1.5)
