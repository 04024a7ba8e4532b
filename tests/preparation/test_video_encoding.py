"""vidreg.preparation.video_encoding: the codec each container gets, the copy's size, and the
check that catches a wrong copy (real encodes of a tiny video)."""
import numpy as np
import pytest

from vidreg.preparation.frame_extraction import FrameCounts
from vidreg.preparation.video_encoding import (
    CopyCheckError,
    check_copy,
    encode_video,
    encoder_settings,
    output_size,
)
from vidreg.testing.tiny_video import write_tiny_mp4


@pytest.mark.parametrize('extension, codec, b_frames', [
    ('.mp4', 'mpeg4', 0), ('.MKV', 'mpeg4', 0), ('.avi', 'mpeg4', 0), ('.flv', 'libx264', 0)])
def test_auto_codec_per_container(extension, codec, b_frames):
    settings = encoder_settings(extension)
    assert (settings.codec, settings.b_frames) == (codec, b_frames)


def test_h264_gets_b_frames_where_the_container_keeps_timestamps():
    settings = encoder_settings('.mov', codec='libx264', crf=23)
    assert (settings.codec, settings.b_frames, settings.options()) == (
        'libx264', 3, dict(codec='libx264', gop=16, short_side=None, crf=23))
    assert encoder_settings('.mp4', qscale=5).options() == dict(
        codec='mpeg4', gop=16, short_side=None, qscale=5)


@pytest.mark.parametrize('extension, options, message', [
    ('.webm', {}, 'Convert them to .mp4'), ('.mpg', {}, 'keeps no frame count'),
    ('.avi', dict(codec='libx264'), 'use --codec auto or mpeg4'),
    ('.txt', {}, 'not a video extension')])
def test_containers_that_cannot_hold_the_codec_say_what_to_do(extension, options, message):
    with pytest.raises(ValueError, match=message):
        encoder_settings(extension, **options)


def test_output_size_never_enlarges_and_is_even():
    assert output_size(240, 320, 64) == (64, 84)  # 85.3 -> 85 -> even
    assert output_size(144, 176, 256) == (144, 176)  # smaller: kept
    assert output_size(101, 75, None) == (100, 74)


def test_check_copy_catches_a_wrong_count_and_a_wrong_frame(tmp_path):
    video = write_tiny_mp4(tmp_path / 'in.mp4', num_frames=12, size=32)
    copy, counts = str(tmp_path / 'copy.mp4'), FrameCounts()
    probes = encode_video(video, copy, encoder_settings('.mp4', gop=4), counts)
    assert (counts.header, counts.decoded, sorted(probes)) == (12, 12, [0, 3, 6, 9, 11])
    assert check_copy(copy, 12, probes) == 12
    with pytest.raises(CopyCheckError, match='the copy decodes 12 frames, the video 13'):
        check_copy(copy, 13, probes)
    wrong = {**probes, 6: np.zeros_like(probes[6])}
    with pytest.raises(CopyCheckError, match='frame 6 of the copy is far from'):
        check_copy(copy, 12, wrong)
