"""save_flow_picture (tools/visualize_flow.py): a frame and one flow panel per method."""
import cv2
import pytest

from vidreg.testing.tiny_video import write_tiny_video
from vidreg.visualization.flow_picture import save_flow_picture


def test_writes_a_frame_and_one_panel_per_method(tmp_path, capsys):
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=6, size=64)
    out = tmp_path / 'flow.png'
    assert save_flow_picture(video, str(out), frame=1, gap=2, short_side=64,
                             methods=['dis:ultrafast', 'farneback']) == str(out)
    picture = cv2.imread(str(out))
    assert picture.shape == (128, 128, 3)  # 2 x 2 panels of 64 x 64
    printed = capsys.readouterr().out
    assert 'dis:ultrafast: mean x' in printed and 'farneback: mean x' in printed
    with pytest.raises(ValueError, match='6 frames'):
        save_flow_picture(video, str(tmp_path / 'x.png'), frame=5)
    with pytest.raises(ValueError, match="'lucas-kanade' is not"):
        save_flow_picture(video, str(tmp_path / 'x.png'), frame=1, methods=['lucas-kanade'])
    assert not (tmp_path / 'x.png').exists()
