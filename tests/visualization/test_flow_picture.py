import cv2
import pytest
from visualize_flow import main

from vidreg.testing.tiny_video import write_tiny_video


def test_writes_a_frame_and_one_panel_per_method(tmp_path, capsys):
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=6, size=64)
    out = tmp_path / 'flow.png'
    main([video, '--frame', '1', '--gap', '2', '--short-side', '64', '--out', str(out),
          '--methods', 'dis:ultrafast', 'farneback'])
    picture = cv2.imread(str(out))
    assert picture.shape == (128, 128, 3)  # 2 x 2 panels of 64 x 64
    printed = capsys.readouterr().out
    assert 'dis:ultrafast: mean x' in printed and 'farneback: mean x' in printed
    with pytest.raises(ValueError, match='6 frames'):
        main([video, '--frame', '5', '--out', str(tmp_path / 'x.png')])
    assert not (tmp_path / 'x.png').exists()
