"""VideoMAE: shapes, stages, fixed positions, shorter clips, drop-path, the released sizes."""
import pytest
import torch

from vidreg.models.backbones import VideoMAE
from vidreg.models.backbones.videomae import sinusoid_table
from vidreg.testing.tiny import TINY_KWARGS, tiny_clip

TINY = dict(embed_dims=16, depth=2, num_heads=2, num_frames=4, img_size=32)


def test_pooled_and_token_outputs_and_stages():
    clips = tiny_clip(frames=4, size=32)
    pooled = VideoMAE(**TINY).eval()(clips)
    assert pooled.shape == (2, 16, 1, 1, 1)
    tokens = VideoMAE(**TINY, pool=False).eval()(clips)
    assert tokens.shape == (2, 16, 2, 2, 2)  # (B, D, T/2, H/16, W/16)
    stages = VideoMAE(**TINY, out_stages=('stem', 'block2', 'pool')).eval()(clips)
    assert [tuple(v.shape) for v in stages.values()] == [(2, 16, 2, 2, 2), (2, 16, 2, 2, 2),
                                                         (2, 16, 1, 1, 1)]


def test_positions_are_fixed_and_not_saved():
    model = VideoMAE(**TINY)
    assert not any('pos' in key for key in model.state_dict())
    table = sinusoid_table(8, 16)
    assert torch.equal(table[0, 0::2], torch.zeros(8)) and torch.equal(table[0, 1::2],
                                                                         torch.ones(8))


def test_a_shorter_clip_uses_the_first_positions_and_a_longer_one_is_refused():
    model = VideoMAE(**dict(TINY, num_frames=8)).eval()
    assert model(tiny_clip(frames=4, size=32)).shape == (2, 16, 1, 1, 1)
    with pytest.raises(ValueError, match='num_frames'):
        model(tiny_clip(frames=10, size=32))
    with pytest.raises(ValueError, match='img_size'):
        model(tiny_clip(frames=4, size=48))


def test_drop_path_is_random_in_training_only():
    model = VideoMAE(**TINY_KWARGS['VideoMAE'])
    clips = tiny_clip(frames=4, size=32)
    torch.manual_seed(0)
    first = model.train()(clips)
    assert not torch.equal(first, model(clips))
    model.eval()
    assert torch.equal(model(clips), model(clips))


def test_base_size_matches_the_published_count():
    with torch.device('meta'):
        model = VideoMAE(arch='base')
    params = sum(p.numel() for p in model.parameters())
    assert params == 86_227_200  # + a 400-class head (307,600): 86.5M, "87M" in the paper
