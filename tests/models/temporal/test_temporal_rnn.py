import pytest
import torch

from vidreg.models.temporal import TemporalRNN
from vidreg.registry import MODELS
from vidreg.testing.tiny import TINY_KWARGS

CELLS = ['lstm', 'gru']


def _features(batch=2, frames=4):
    return torch.randn(batch, 6, frames, 2, 2, generator=torch.Generator().manual_seed(0))


def _rnn(**kwargs):
    torch.manual_seed(0)
    args = dict(TINY_KWARGS['TemporalRNN'], in_channels=6)
    args.update(kwargs)
    return TemporalRNN(**args)


@pytest.mark.parametrize('cell', CELLS)
@pytest.mark.parametrize('bidirectional', [False, True])
@pytest.mark.parametrize('reduction', ['last', 'mean', 'attention'])
def test_shape_finite_and_backward(cell, bidirectional, reduction):
    rnn = _rnn(cell=cell, bidirectional=bidirectional, reduction=reduction, num_layers=2)
    expected_channels = 16 if bidirectional else 8
    assert rnn.out_channels == expected_channels
    x = _features().requires_grad_()
    out = rnn(x)
    assert out.shape == (2, expected_channels) and torch.isfinite(out).all()
    out.sum().backward()
    assert x.grad is not None


def test_seed_defaults_and_registry():
    rnn = MODELS.build(dict(type='TemporalRNN'), default_args=dict(in_channels=512))
    assert isinstance(rnn.rnn, torch.nn.LSTM)
    assert rnn.rnn.batch_first and rnn.rnn.hidden_size == 100 and rnn.rnn.num_layers == 1
    assert rnn.dropout.p == 0.1 and rnn.reduction.mode == 'last' and rnn.out_channels == 100
    assert isinstance(_rnn(cell='gru').rnn, torch.nn.GRU)
    assert _rnn(num_layers=2, dropout=0.3).rnn.dropout == 0.3  # also between layers


@pytest.mark.parametrize('cell', CELLS)
@pytest.mark.parametrize('bidirectional', [False, True])
def test_batch_independence(cell, bidirectional):
    """The seed's LSTM mixed samples of a batch (SPEC §2.6); ours must not."""
    rnn = _rnn(cell=cell, bidirectional=bidirectional).eval()
    x = _features(batch=3)
    out = rnn(x)
    for b in range(3):
        torch.testing.assert_close(rnn(x[b:b + 1]), out[b:b + 1])
    other = torch.cat([x[:1], torch.randn_like(x[1:])])
    torch.testing.assert_close(rnn(other)[0], out[0])


@pytest.mark.parametrize('cell', CELLS)
@pytest.mark.parametrize('reduction', ['last', 'mean'])
def test_depends_on_frame_order(cell, reduction):
    rnn = _rnn(cell=cell, reduction=reduction).eval()
    x = _features()
    assert not torch.allclose(rnn(x.flip(2)), rnn(x), atol=1e-6)


def test_bidirectional_last_takes_each_direction_final_step():
    rnn = _rnn(bidirectional=True).eval()
    x = _features()
    steps = rnn.forward_sequence(x)  # (B, 16, T)
    expected = torch.cat([steps[:, :8, -1], steps[:, 8:, 0]], dim=1)
    torch.testing.assert_close(rnn(x), expected)


def test_bad_cell_raises():
    with pytest.raises(ValueError, match='cell'):
        _rnn(cell='rnn')
