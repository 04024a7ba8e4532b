"""OpenVideo + a sampler + DecodeFrames on real files and frame folders."""
import shutil

import numpy as np
import pytest

from vidreg.pipeline import (
    Compose,
    DecodeFrames,
    OpenVideo,
    PackVideoInputs,
    Resize,
    SampleFrames,
    TenCrop,
    ThreeCrop,
)
from vidreg.pipeline.decoders import BaseVideoReader, PyAVReader, VideoReadError
from vidreg.testing.shared_data import shared_data_dir

DATA = shared_data_dir()


READERS = dict(auto=None, pyav=dict(type='PyAVReader', num_threads=1),
               opencv=dict(type='OpenCVReader'))


@pytest.mark.parametrize('backend', list(READERS))
def test_open_sample_decode_video(backend):
    results = OpenVideo(READERS[backend])(dict(filename=f'{DATA}/mmaction2/test.avi'))
    assert isinstance(results['video_reader'], BaseVideoReader)
    assert results['total_frames'] == 164 and results['avg_fps'] == pytest.approx(25.0)
    results = SampleFrames(num_frames=4, frame_interval=2, num_clips=2)(results)
    reader = results['video_reader']
    results = DecodeFrames()(results)
    assert 'video_reader' not in results
    imgs = results['imgs']
    assert isinstance(imgs, np.ndarray) and imgs.dtype == np.uint8
    assert imgs.shape == (8, 3, 240, 320)
    assert results['img_shape'] == results['original_shape'] == (240, 320)
    with pytest.raises(ValueError, match='closed'):
        reader.read([0])


def test_frames_match_the_reader_layout():
    pipeline = Compose([OpenVideo(), SampleFrames(num_frames=2, frame_interval=5), DecodeFrames()])
    results = pipeline(dict(filename=f'{DATA}/carphone_pristine.mp4', test_mode=True))
    with PyAVReader(f'{DATA}/carphone_pristine.mp4') as reader:
        expected = reader.read(results['frame_inds'])  # (N, H, W, 3)
    np.testing.assert_array_equal(results['imgs'].transpose(0, 2, 3, 1), expected)


def test_frame_folder_pipeline_and_total_frames_update(tmp_path):
    folder = tmp_path / 'clip'
    shutil.copytree(f'{DATA}/mmaction2/frames_img', folder)
    reader = dict(type='FrameFolderReader', fps=30.0)
    pipeline = Compose([OpenVideo(reader), SampleFrames(num_frames=16), DecodeFrames()])
    results = pipeline(dict(filename=str(folder), test_mode=True))
    assert results['avg_fps'] == 30.0 and results['total_frames'] == 10
    np.testing.assert_array_equal(results['frame_inds'], list(range(10)) + list(range(6)))
    # The 16 positions (looped) show 10 distinct frames, each decoded and kept once.
    assert results['imgs'].shape == (10, 3, 240, 320)
    np.testing.assert_array_equal(results['frame_map'], list(range(10)) + list(range(6)))
    # Unplanned (steps run alone, outside a Compose): the safe layout, whole clips in order.
    plain = dict(filename=str(folder), test_mode=True)
    for step in (OpenVideo(reader), SampleFrames(num_frames=16), DecodeFrames()):
        plain = step(plain)
    assert 'frame_map' not in plain and plain['imgs'].shape == (16, 3, 240, 320)
    np.testing.assert_array_equal(plain['imgs'], results['imgs'][results['frame_map']])


@pytest.mark.parametrize('multi_crop, num_crops', [(ThreeCrop, 3), (TenCrop, 10)])
def test_distinct_frames_pack_into_the_clips_a_plain_read_gives(multi_crop, num_crops):
    """Overlapping test clips: decode once, crop once, then the clips are laid out."""
    video = f'{DATA}/mmaction2/test.mp4'
    pipeline = Compose([
        OpenVideo(), SampleFrames(num_frames=16, frame_interval=4, num_clips=10),
        DecodeFrames(), Resize(short_side=32), multi_crop(crop_size=32), PackVideoInputs()])
    assert pipeline.steps[2].share_repeated_frames  # planned: every later step accepts
    results = pipeline(dict(filename=video, test_mode=True))
    inds = SampleFrames(num_frames=16, frame_interval=4, num_clips=10)(
        dict(total_frames=300, test_mode=True))['frame_inds']
    assert len(np.unique(inds)) < len(inds)  # the clips do overlap
    with PyAVReader(video) as reader:
        plain = reader.read(inds).transpose(0, 3, 1, 2)  # (160, 3, H, W)
    crops = multi_crop(crop_size=32)(Resize(short_side=32)(dict(imgs=plain)))['imgs']
    expected = crops.reshape(num_crops * 10, 16, *crops.shape[1:])  # (V, T, C, H, W)
    np.testing.assert_array_equal(results['inputs']['imgs'], expected)


def test_unreadable_video_raises_naming_it(tmp_path):
    bad = tmp_path / 'broken_video.avi'
    bad.write_bytes(b'\x00' * 64)
    with pytest.raises(VideoReadError, match='broken_video.avi'):
        OpenVideo()(dict(filename=str(bad)))


@pytest.mark.parametrize('backend', ['pyav', 'opencv'])
@pytest.mark.parametrize('antialias', [True, False])
def test_resize_while_decoding_equals_a_resize_step(backend, antialias):
    """DecodeFrames(resize=...) resizes each frame as decoded: same pixels as a Resize step."""
    resize = dict(short_side=48, antialias=antialias)
    sample = dict(filename=f'{DATA}/mmaction2/test.avi', test_mode=True)
    sampler = SampleFrames(num_frames=16, frame_interval=4, num_clips=10)  # overlapping clips
    fused = Compose([OpenVideo(READERS[backend]), sampler, DecodeFrames(resize=resize)])(
        dict(sample))
    steps = Compose([OpenVideo(READERS[backend]), sampler, DecodeFrames(),
                            Resize(**resize)])(dict(sample))
    np.testing.assert_array_equal(fused['imgs'], steps['imgs'])
    np.testing.assert_array_equal(fused['frame_map'], steps['frame_map'])
    assert fused['original_shape'] == (240, 320) and fused['img_shape'] == (48, 64)
