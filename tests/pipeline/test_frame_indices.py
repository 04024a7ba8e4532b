"""every_clip_indices: all clips of a video, the arithmetic of seed 004's clip samples."""
import numpy as np
import pytest

from vidreg.pipeline.frame_indices import (
    clip_offsets,
    every_clip_indices,
    strided_clip_indices,
)


def test_one_clip_per_second_at_six_fps_of_thirty():
    clips = every_clip_indices(60, 3, 30 / 6, 6, pad_mode='loop')
    assert clips.dtype == np.int64 and clips.tolist() == [[0, 5, 10], [30, 35, 40]]
    # One frame more than the last whole clip needs adds no clip; the tail is not used.
    assert every_clip_indices(70, 3, 5, 6, pad_mode='loop').tolist() == [[0, 5, 10], [30, 35, 40]]
    assert len(every_clip_indices(71, 3, 5, 6, pad_mode='loop')) == 3  # 60 + 10 = frame 70


def test_every_native_frame_starts_a_clip():
    clips = every_clip_indices(100, 3, 1, 1, pad_mode='loop')
    assert len(clips) == 98 and clips[-1].tolist() == [97, 98, 99]
    assert np.array_equal(clips[:, 0], np.arange(98))
    assert every_clip_indices(5, 1, 1, 1, pad_mode='loop').ravel().tolist() == [0, 1, 2, 3, 4]


def test_fractional_rates_keep_one_spacing_per_clip():
    # 29.97 fps to 6 fps: the starts follow the ideal times, every clip has the spacing of a
    # FPSSampleFrames clip (strided_clip_indices' rounding).
    interval = 29.97 / 6
    clips = every_clip_indices(300, 3, interval, 6, pad_mode='loop')
    assert clips[:, 0].tolist() == [int(np.floor(k * 6 * interval + 0.5)) for k in range(10)]
    assert (clips - clips[:, :1] == clip_offsets(3, interval)).all()
    one = strided_clip_indices(11, 3, interval, 1, test_mode=True, pad_mode='loop')
    assert one.tolist() == clips[0].tolist()  # the only valid start of an 11-frame video


def test_a_short_video_gives_one_padded_clip():
    assert every_clip_indices(8, 3, 5, 6, pad_mode='loop').tolist() == [[0, 5, 2]]
    assert every_clip_indices(8, 3, 5, 6, pad_mode='repeat_last').tolist() == [[0, 5, 7]]
    assert every_clip_indices(1, 4, 1, 1, pad_mode='loop').tolist() == [[0, 0, 0, 0]]


@pytest.mark.parametrize('bad', [dict(total_frames=0), dict(clip_stride=0),
                                 dict(frame_interval=-1)])
def test_non_positive_arguments_are_errors(bad):
    args = {**dict(total_frames=10, num_frames=3, frame_interval=1, clip_stride=1), **bad}
    with pytest.raises(ValueError, match=f'{next(iter(bad))} must be > 0'):
        every_clip_indices(**args, pad_mode='loop')
