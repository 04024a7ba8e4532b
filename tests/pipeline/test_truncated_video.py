"""A video that ends before its header's frame count is marked from DecodeFrames to the batch."""
import pytest

from vidreg.datasets import video_collate
from vidreg.pipeline import DecodeFrames, OpenVideo, PackVideoInputs, UniformSampleFrames
from vidreg.testing.tiny_video import write_tiny_video, write_truncated_video


@pytest.mark.parametrize('reader', ['PyAVReader', 'OpenCVReader'])
def test_truncated_video_is_marked_with_its_real_count(tmp_path, reader):
    cut = write_truncated_video(tmp_path / 'cut.avi')
    good = write_tiny_video(tmp_path / 'good.avi')
    steps = [OpenVideo(reader=dict(type=reader)), UniformSampleFrames(num_frames=8), DecodeFrames(),
             PackVideoInputs()]
    packed = []
    for path in (cut, good):
        results = dict(filename=path, test_mode=True)
        for step in steps:
            results = step(results)
        packed.append(results)
    assert packed[0]['data_samples']['metainfo']['truncated_frames'] == (50, 14)
    assert 'truncated_frames' not in packed[1]['data_samples']['metainfo']
    assert video_collate(packed)['truncated'] == [(cut, 50, 14)]
