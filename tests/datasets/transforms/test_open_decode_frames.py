"""OpenVideo + a sampler + DecodeFrames on real files and frame folders."""
import shutil

import numpy as np
import pytest
import torch
from mmengine.dataset import Compose

from vidreg.datasets.decoders import BaseVideoReader, VideoReadError
from vidreg.datasets.transforms import DecodeFrames, OpenVideo, SampleFrames
from vidreg.testing.shared_data import shared_data_dir

DATA = shared_data_dir()


@pytest.mark.parametrize('backend', ['auto', 'pyav', 'opencv'])
def test_open_sample_decode_video(backend):
    results = OpenVideo(backend=backend)(dict(filename=f'{DATA}/mmaction2/test.avi'))
    assert isinstance(results['video_reader'], BaseVideoReader)
    assert results['total_frames'] == 164 and results['avg_fps'] == pytest.approx(25.0)
    results = SampleFrames(num_frames=4, frame_interval=2, num_clips=2)(results)
    reader = results['video_reader']
    results = DecodeFrames()(results)
    assert 'video_reader' not in results
    imgs = results['imgs']
    assert isinstance(imgs, torch.Tensor) and imgs.dtype == torch.uint8
    assert imgs.shape == (8, 3, 240, 320)
    assert results['img_shape'] == results['original_shape'] == (240, 320)
    with pytest.raises(ValueError, match='closed'):
        reader.read([0])


def test_frames_match_the_reader_layout():
    pipeline = Compose([OpenVideo(), SampleFrames(num_frames=2, frame_interval=5), DecodeFrames()])
    results = pipeline(dict(filename=f'{DATA}/carphone_pristine.mp4', test_mode=True))
    from vidreg.datasets.decoders import PyAVReader
    with PyAVReader(f'{DATA}/carphone_pristine.mp4') as reader:
        expected = reader.read(results['frame_inds'])  # (N, H, W, 3)
    np.testing.assert_array_equal(results['imgs'].permute(0, 2, 3, 1).numpy(), expected)


def test_frame_folder_pipeline_and_total_frames_update(tmp_path):
    folder = tmp_path / 'clip'
    shutil.copytree(f'{DATA}/mmaction2/frames_img', folder)
    pipeline = Compose([OpenVideo(frame_fps=30.0), SampleFrames(num_frames=16), DecodeFrames()])
    results = pipeline(dict(filename=str(folder), test_mode=True))
    assert results['avg_fps'] == 30.0 and results['total_frames'] == 10
    assert results['imgs'].shape == (16, 3, 240, 320)
    np.testing.assert_array_equal(results['frame_inds'], list(range(10)) + list(range(6)))


def test_unreadable_video_raises_naming_it(tmp_path):
    bad = tmp_path / 'broken_video.avi'
    bad.write_bytes(b'\x00' * 64)
    with pytest.raises(VideoReadError, match='broken_video.avi'):
        OpenVideo()(dict(filename=str(bad)))
