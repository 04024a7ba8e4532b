"""Frame samplers: counts, bounds, order, padding, determinism and randomness."""
import numpy as np
import pytest

from vidreg.pipeline import (
    FPSSampleFrames,
    SampleFrames,
    SegmentSampleFrames,
    UniformSampleFrames,
    pad_indices,
)

SAMPLERS = [
    lambda **kw: UniformSampleFrames(num_frames=8, **kw),
    lambda **kw: SegmentSampleFrames(num_frames=8, **kw),
    lambda **kw: SampleFrames(num_frames=8, frame_interval=3, **kw),
    lambda **kw: FPSSampleFrames(fps=6, num_frames=8, **kw),
]
IDS = ['uniform', 'segment', 'strided', 'fps']


def sample(sampler, total, test_mode, avg_fps=25.0):
    results = sampler(dict(total_frames=total, test_mode=test_mode, avg_fps=avg_fps))
    return results['frame_inds'], results


@pytest.mark.parametrize('make', SAMPLERS, ids=IDS)
@pytest.mark.parametrize('num_clips', [1, 3])
@pytest.mark.parametrize('test_mode', [False, True])
def test_counts_bounds_and_order(make, num_clips, test_mode):
    sampler = make(num_clips=num_clips)
    for total in (1, 2, 5, 7, 8, 9, 40, 300, 1001):
        inds, results = sample(sampler, total, test_mode)
        assert inds.dtype == np.int64 and inds.shape == (num_clips * 8,)
        assert results['num_clips'] == num_clips and results['num_frames'] == 8
        assert inds.min() >= 0 and inds.max() < total
        if total >= 100:  # long enough: no padding, every clip in temporal order
            assert (np.diff(inds.reshape(num_clips, 8), axis=1) > 0).all()


@pytest.mark.parametrize('make', SAMPLERS, ids=IDS)
def test_test_mode_is_deterministic_and_draws_nothing(make):
    sampler = make(num_clips=2)
    np.random.seed(0)
    state = np.random.get_state()[1].copy()
    first, _ = sample(sampler, 300, test_mode=True)
    second, _ = sample(sampler, 300, test_mode=True)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize('make', SAMPLERS, ids=IDS)
def test_train_mode_is_random_but_seeded(make):
    sampler = make()
    np.random.seed(1)
    draws = [tuple(sample(sampler, 300, test_mode=False)[0]) for _ in range(10)]
    assert len(set(draws)) > 5
    np.random.seed(1)
    assert tuple(sample(sampler, 300, test_mode=False)[0]) == draws[0]


def test_uniform_test_mode_takes_segment_centres():
    inds, _ = sample(UniformSampleFrames(num_frames=10), 100, test_mode=True)
    np.testing.assert_array_equal(inds, np.arange(5, 100, 10))
    inds, _ = sample(UniformSampleFrames(num_frames=4, num_clips=2), 40, test_mode=True)
    np.testing.assert_array_equal(inds, [2, 12, 22, 32, 7, 17, 27, 37])


def test_uniform_train_keeps_even_spacing_segment_does_not():
    np.random.seed(0)
    for _ in range(20):
        inds, _ = sample(UniformSampleFrames(num_frames=10), 100, test_mode=False)
        assert set(np.diff(inds)) == {10}
    segment = [sample(SegmentSampleFrames(num_frames=10), 100, test_mode=False)[0]
               for _ in range(20)]
    for inds in segment:  # one frame inside each segment [10k, 10k + 10)
        assert ((inds >= np.arange(0, 100, 10)) & (inds < np.arange(10, 101, 10))).all()
    assert any(len(set(np.diff(inds))) > 1 for inds in segment)


def test_sample_frames_centred_and_spread_in_test_mode():
    inds, _ = sample(SampleFrames(num_frames=4, frame_interval=2), 100, test_mode=True)
    np.testing.assert_array_equal(inds, [47, 49, 51, 53])  # centre of 94 valid starts
    inds, _ = sample(SampleFrames(num_frames=4, frame_interval=2, num_clips=4), 100, True)
    starts = inds.reshape(4, 4)[:, 0]
    assert (np.diff(starts) > 15).all() and starts[0] < 15 and starts[-1] > 75


def test_fps_sampler_stride_follows_the_frame_rate():
    inds, _ = sample(FPSSampleFrames(fps=6, num_frames=8), 300, test_mode=True, avg_fps=30.0)
    assert set(np.diff(inds)) == {5}
    inds, _ = sample(FPSSampleFrames(fps=6, num_frames=8), 300, test_mode=True, avg_fps=25.0)
    assert set(np.diff(inds)) <= {4, 5} and inds[-1] - inds[0] == round(7 * 25 / 6)
    with pytest.raises(ValueError, match='frame rate is unknown'):
        FPSSampleFrames(fps=6, num_frames=8)(dict(total_frames=300, avg_fps=None))


@pytest.mark.parametrize('make', [
    lambda pad: UniformSampleFrames(num_frames=8, pad_mode=pad),
    lambda pad: SegmentSampleFrames(num_frames=8, pad_mode=pad),
    lambda pad: SampleFrames(num_frames=8, pad_mode=pad),
], ids=['uniform', 'segment', 'strided'])
@pytest.mark.parametrize('test_mode', [False, True])
def test_short_video_padding(make, test_mode):
    loop, _ = sample(make('loop'), 5, test_mode)
    last, _ = sample(make('repeat_last'), 5, test_mode)
    np.testing.assert_array_equal(loop, [0, 1, 2, 3, 4, 0, 1, 2])
    np.testing.assert_array_equal(last, [0, 1, 2, 3, 4, 4, 4, 4])
    single, _ = sample(make('loop'), 1, test_mode)
    np.testing.assert_array_equal(single, np.zeros(8))


def test_pad_indices_and_argument_checks():
    np.testing.assert_array_equal(pad_indices(np.array([0, 3, 6, 9]), 4, 'loop'), [0, 3, 2, 1])
    np.testing.assert_array_equal(pad_indices(np.array([0, 3, 6]), 4, 'repeat_last'), [0, 3, 3])
    with pytest.raises(ValueError, match='pad_mode'):
        SampleFrames(num_frames=8, pad_mode='zeros')
    with pytest.raises(ValueError, match='num_frames'):
        UniformSampleFrames(num_frames=0)
    with pytest.raises(ValueError, match='total_frames'):
        SampleFrames(num_frames=4)(dict(total_frames=0))
