"""Fixtures shared by the dataset tests."""
import pytest

from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture(scope='session')
def video(tmp_path_factory):
    """A tiny real AVI that the on-disk dataset replicas link or copy as their clips."""
    path = tmp_path_factory.mktemp('video') / 'tiny.avi'
    write_tiny_video(path)
    return path
