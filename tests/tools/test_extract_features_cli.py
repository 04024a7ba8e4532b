"""tools/extract_features.py as a command: a user mistake is one error: line and exit code 2."""
from vidreg.testing.run_tool import call_tool
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video


def test_a_stage_the_backbone_lacks_is_one_error_line(tmp_path):
    checkpoint = write_tiny_checkpoint(tmp_path / 'tiny.pth')
    video = write_tiny_video(tmp_path / 'clip.avi', num_frames=8)
    result = call_tool('tools/extract_features.py', checkpoint, video, '--out',
                       tmp_path / 'f.npz', '--stage', '2', expect=2)
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line
    assert result.stderr.startswith('error: ') and 'staged backbone' in result.stderr
    assert not (tmp_path / 'f.npz').exists()
