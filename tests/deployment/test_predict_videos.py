"""predict_videos: truncated videos are reported, and an output failure never blames the input."""
import pytest
from rich.console import Console

from vidreg.deployment import load_predictor, plan_outputs, predict_videos
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video, write_truncated_video


@pytest.fixture(scope='module')
def predict(tmp_path_factory):
    return load_predictor(write_tiny_checkpoint(tmp_path_factory.mktemp('ckpt') / 'tiny.pth'))


def test_a_truncated_video_is_warned_about_and_flagged(predict, tmp_path, capsys):
    truncated = write_truncated_video(tmp_path / 'cut.avi')  # 14 of 50 frames decode
    whole = write_tiny_video(tmp_path / 'whole.avi', num_frames=20)
    outputs = plan_outputs([truncated, whole], out=str(tmp_path / 'p'), out_video=None,
                           windows=False, force=False, reads=[])
    result = predict_videos(predict, [(truncated, None), (whole, None)], outputs,
                            console=Console())
    assert [p.truncated for p in result.predictions] == [(50, 14), None]
    assert [p.truncation_note for p in result.predictions] == ['14 of 50 frames', '']
    err = capsys.readouterr().err
    assert err.count('warning:') == 1 and 'cut.avi is truncated: its header says 50 frames ' \
        'but only 14 decode' in err


def test_an_output_that_fails_keeps_the_prediction_and_names_the_file(predict, tmp_path):
    video = write_tiny_video(tmp_path / 'clip.avi', num_frames=12)
    outputs = plan_outputs([video], out=str(tmp_path / 'p'),
                           out_video=str(tmp_path / 'later' / 'clip.mp4'), windows=False,
                           force=False, reads=[])
    (tmp_path / 'later').write_text('the folder became a file after the check')
    result = predict_videos(predict, [(video, 'grow')], outputs, console=Console())
    assert result.bad == [] and len(result.predictions) == 1
    assert [path for path, _ in result.not_written] == [str(tmp_path / 'later' / 'clip.mp4')]
