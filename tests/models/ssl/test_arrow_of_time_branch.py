"""Arrow of time: labels made with the reversal, for any batch size; the clip is reversed."""
import pytest
import torch

from vidreg.models.ssl import ArrowOfTimeBranch
from vidreg.models.ssl.arrow_of_time_branch import reverse_some
from vidreg.models.ssl.base_ssl_branch import Trunk


def _identity(x):
    return x


@pytest.mark.parametrize('batch', [1, 2, 3, 5, 7])
@pytest.mark.parametrize('fraction', [0.0, 0.3, 0.5, 1.0])
def test_label_is_one_exactly_for_reversed_rows(batch, fraction):
    torch.manual_seed(batch)
    clips = torch.randn(batch, 2, 5, 3, 3)  # (N, C, T, H, W), no row is a palindrome
    lower = torch.nn.Conv3d(2, 3, (3, 1, 1), padding=(1, 0, 0))  # mixes frames
    with torch.no_grad():
        feats = lower(clips)
        for _ in range(20):
            mixed, labels = reverse_some(clips, feats, fraction, lower)
            assert labels.shape == (batch,) and labels.dtype == torch.long
            for row in range(batch):
                expected = lower(clips[row:row + 1].flip(2))[0] if labels[row] else feats[row]
                torch.testing.assert_close(mixed[row], expected)
            assert int(fraction * batch) <= int(labels.sum()) <= -(-fraction * batch // 1)


def test_single_clip_is_reversed_sometimes():
    torch.manual_seed(0)
    clips = torch.randn(1, 1, 4, 1, 1)
    seen = {int(reverse_some(clips, clips, 0.5, _identity)[1]) for _ in range(50)}
    assert seen == {0, 1}


def test_head_sees_the_rows_its_labels_describe():
    torch.manual_seed(0)
    loss = ArrowOfTimeBranch(in_channels=4, stage=None)
    clips = torch.randn(5, 4, 6, 1, 1)
    # a trunk that reads the direction: last frame minus first frame of channel 0
    seen = []

    def upper(x):
        seen.append(x)
        return x.mean((3, 4))[:, :, -1] - x.mean((3, 4))[:, :, 0]

    _, labels = loss.logits(clips, Trunk(lower=_identity, upper=upper), clips)
    reversed_rows = [not torch.equal(seen[0][i], clips[i]) for i in range(5)]
    assert labels.tolist() == [int(r) for r in reversed_rows]
    with pytest.raises(ValueError, match='reverse_fraction'):
        ArrowOfTimeBranch(in_channels=4, reverse_fraction=1.5)
