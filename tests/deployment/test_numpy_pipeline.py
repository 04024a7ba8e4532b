"""The torch-free test pipeline packs the same pixels as vidreg's transforms."""
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from vidreg.apis import TestTimePipeline
from vidreg.deployment import NumpyTestPipeline, unsupported_steps
from vidreg.testing.tiny_checkpoint import tiny_config
from vidreg.testing.tiny_video import write_tiny_video, write_truncated_video

STEPS = {
    'uniform_resize_centre': [
        dict(type='OpenVideo'), dict(type='UniformSampleFrames', num_frames=4),
        dict(type='DecodeFrames'), dict(type='Resize', short_side=24, antialias=False),
        dict(type='CenterCrop', crop_size=20), dict(type='PackVideoInputs')],
    'strided_clips_three_crops': [
        dict(type='OpenVideo'),
        dict(type='SampleFrames', num_frames=3, frame_interval=2, num_clips=2),
        dict(type='DecodeFrames', resize=dict(short_side=20, antialias=False)),
        dict(type='ThreeCrop', crop_size=16), dict(type='PackVideoInputs')],
    'segments_scale': [
        dict(type='OpenVideo'), dict(type='SegmentSampleFrames', num_frames=5),
        dict(type='DecodeFrames'), dict(type='Resize', scale=(40, 30)),
        dict(type='PackVideoInputs')],
}


@pytest.fixture(scope='module')
def video(tmp_path_factory):
    # 48x32: a landscape frame, so the resizes and ThreeCrop have work to do
    from vidreg.datasets.synthetic_videos import _write_video
    path = tmp_path_factory.mktemp('np') / 'v.avi'
    frames = np.random.default_rng(1).integers(0, 255, (17, 32, 48, 3), np.uint8)
    _write_video(path, frames, 10.0)
    return str(path)


@pytest.mark.parametrize('name', list(STEPS))
def test_same_clips_as_the_torch_pipeline(video, name):
    cfg = Config(dict(test_dataloader=dict(dataset=dict(pipeline=STEPS[name]))))
    torch_pipeline = TestTimePipeline(cfg, 'classification')
    expected = torch_pipeline(torch_pipeline.open(video))['inputs']['imgs']  # V,T,C,H,W
    got = NumpyTestPipeline(STEPS[name])(video)['imgs']
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_a_test_set_of_clip_samples_infers_each_video_from_all_its_clips(video):
    """Every clip a sample (EveryClipSampleFrames): one whole video's views are its clips."""
    clips = dict(num_frames=3, fps=5, stride=5)  # 10 fps: frames 2 apart, clips 1 s apart
    steps = [dict(type='OpenVideo'), dict(type='EveryClipSampleFrames', **clips),
             dict(type='DecodeFrames'), dict(type='CenterCrop', crop_size=24),
             dict(type='PackVideoInputs')]
    cfg = Config(dict(test_dataloader=dict(dataset=dict(pipeline=steps))))
    torch_pipeline = TestTimePipeline(cfg, 'classification')
    sample = torch_pipeline(torch_pipeline.open(video))
    assert sample['data_samples']['metainfo']['num_views'] == 2  # 17 frames: starts 0 and 10
    np.testing.assert_array_equal(NumpyTestPipeline(steps)(video)['imgs'],
                                  sample['inputs']['imgs'])


def test_unknown_steps_are_named(tmp_path):
    steps = [dict(type='OpenVideo', reader=dict(type='FrameFolderReader')),
             dict(type='TenCrop', crop_size=8)]
    assert len(unsupported_steps(steps)) == 2
    with pytest.raises(ValueError, match='TenCrop'):
        NumpyTestPipeline(steps)
    write_tiny_video(tmp_path / 'v.avi')  # a frame folder is refused by name, not misread
    with pytest.raises(ValueError, match='frame folder'):
        NumpyTestPipeline(STEPS['segments_scale'])(str(tmp_path))


@pytest.mark.parametrize('temporal_input', ['sg3i', 'flow'])
def test_two_stream_inputs_equal_the_torch_pipeline(tmp_path, temporal_input):
    """SG3I / DIS flow in NumPy+OpenCV: the same pixels as vidreg's transforms, key by key."""
    cfg = tiny_config(two_stream=temporal_input)
    for step in cfg.test_dataloader.dataset.pipeline:
        if step['type'] == 'Resize':  # OpenCV on both sides (antialiased: Pillow vs torchvision)
            step['antialias'] = False
    steps = [dict(step) for step in cfg.test_dataloader.dataset.pipeline]
    assert unsupported_steps(steps) == []
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=30, size=40)
    torch_pipeline = TestTimePipeline(cfg, 'classification')
    expected = torch_pipeline(torch_pipeline.open(video))['inputs']
    got = NumpyTestPipeline(steps)(video)
    assert list(got) == ['imgs', temporal_input]
    for key, value in expected.items():
        assert got[key].shape == tuple(value.shape), key  # imgs (2, 3, 3, 32, 32) + ...
        np.testing.assert_array_equal(got[key], value, err_msg=key)
    assert got[temporal_input].std() > 0  # a moving video: not a constant input


def test_temporal_inputs_before_spatial_steps_only():
    steps = [dict(type='OpenVideo'), dict(type='SampleFrames', num_frames=3),
             dict(type='DecodeFrames'), dict(type='SG3I'), dict(type='CenterCrop', crop_size=8),
             dict(type='PackVideoInputs', keys=('imgs', 'sg3i'))]
    assert unsupported_steps(steps) == [
        'CenterCrop after SG3I (spatial steps run before the temporal inputs here)']


def test_precomputed_flow_is_refused_not_replaced(tmp_path):
    """A test pipeline that reads flow images beside the video (two readers per sample) is
    refused by both inference paths that cannot pair them: the NumPy pipeline by name, and
    TestTimePipeline for frame arrays (whose frame numbers the images would not match)."""
    from vidreg.config import load_config
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = load_config(osp.join(repo, 'configs', 'demo', 'twostream_flowimages_synthetic.py'),
                      dict(data_root=str(tmp_path), flow_root=str(tmp_path / 'flow')))
    steps = [dict(step) for step in cfg.test_dataloader.dataset.pipeline]
    problems = unsupported_steps(steps)
    assert len(problems) == 1 and problems[0].startswith(
        "OpenVideo(reader_key='flow_reader'), SampleFlowFields(), "
        "DecodeFrames(reader_key='flow_reader', out_key='flow') (read precomputed inputs")
    with pytest.raises(ValueError, match='precomputed'):
        NumpyTestPipeline(steps)
    pipeline = TestTimePipeline(cfg, 'classification')
    with pytest.raises(ValueError, match='not on a frame array or a window'):
        pipeline(pipeline.open(np.zeros((6, 16, 16, 3), np.uint8)))


def test_a_truncated_video_is_reported_as_the_torch_pipeline_reports_it(tmp_path):
    video = write_truncated_video(tmp_path / 'cut.avi')  # the header says 50 frames, 14 decode
    steps = STEPS['uniform_resize_centre']
    torch_pipeline = TestTimePipeline(
        Config(dict(test_dataloader=dict(dataset=dict(pipeline=steps)))), 'classification')
    sample = torch_pipeline(torch_pipeline.open(video))
    packed = NumpyTestPipeline(steps).pack(video)
    assert packed.truncated_frames == sample['data_samples']['metainfo']['truncated_frames'] == (
        50, 14)
    np.testing.assert_array_equal(packed.inputs['imgs'], sample['inputs']['imgs'])
    whole = write_tiny_video(tmp_path / 'whole.avi', num_frames=12)
    assert NumpyTestPipeline(steps).pack(whole).truncated_frames is None
