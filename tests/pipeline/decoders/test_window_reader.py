"""WindowReader (a window of a video as a video) and ArrayReader (frames in memory)."""
import numpy as np
import pytest

from vidreg.pipeline.decoders import ArrayReader, PyAVReader, VideoReadError, WindowReader
from vidreg.testing.tiny_video import write_tiny_video


def test_window_reads_the_frames_of_its_span(tmp_path):
    path = write_tiny_video(tmp_path / 'v.avi', num_frames=12)
    with PyAVReader(path) as reader:
        whole = reader.read(np.arange(12))
        window = WindowReader(reader, start=8, total_frames=6)
        assert window.total_frames == 4 and window.fps == reader.fps  # cut at the end
        frames, frame_map = window.read_distinct([3, 0, 0])
        np.testing.assert_array_equal(frames[frame_map], whole[[11, 8, 8]])
        window.close()
        assert reader.read([0]).shape[0] == 1  # the whole video stays open


def test_array_reader(tmp_path):
    frames = np.random.default_rng(0).integers(0, 255, (5, 8, 8, 3), np.uint8)
    reader = ArrayReader(frames, fps=5.0)
    np.testing.assert_array_equal(reader.read([4, 1, 7]), frames[[4, 1, 4]])
    with pytest.raises(VideoReadError, match='uint8'):
        ArrayReader(frames.astype(np.float32))
