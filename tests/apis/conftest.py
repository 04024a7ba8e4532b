"""A tiny checkpoint (config and classes inside, as the Runner writes them) and tiny videos."""
import pytest

from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture(scope='session')
def tiny_checkpoint(tmp_path_factory):
    return write_tiny_checkpoint(tmp_path_factory.mktemp('ckpt') / 'tiny.pth')


@pytest.fixture(scope='session')
def tiny_video(tmp_path_factory):
    return write_tiny_video(tmp_path_factory.mktemp('video') / 'clip.avi', num_frames=30,
                            size=40, fps=10.0)
