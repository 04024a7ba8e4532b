"""The torch-free test pipeline packs the same pixels as vidreg's transforms."""
import numpy as np
import pytest
from mmengine.config import Config

from vidreg.apis import TestTimePipeline
from vidreg.deployment import NumpyTestPipeline, unsupported_steps
from vidreg.testing.tiny_checkpoint import tiny_config
from vidreg.testing.tiny_video import write_tiny_video

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
    expected = torch_pipeline(torch_pipeline.open(video))['inputs'].numpy()  # (V, T, C, H, W)
    got = NumpyTestPipeline(STEPS[name])(video)
    assert got.shape == expected.shape
    if name == 'segments_scale':  # antialiased: Pillow here, torchvision there
        assert np.abs(got.astype(int) - expected).max() <= 1
    else:
        np.testing.assert_array_equal(got, expected)


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
def test_two_stream_steps_are_named_not_faked(temporal_input):
    """SG3I / optical flow exist only as PyTorch transforms: refused by name, never skipped."""
    cfg = tiny_config(two_stream=temporal_input)
    steps = [dict(step) for step in cfg.test_dataloader.dataset.pipeline]
    problems = unsupported_steps(steps)
    named = {'sg3i': ['SG3I'], 'flow': ['OpticalFlow', 'FramesToChannels']}[temporal_input]
    named.append(f"PackVideoInputs(keys=('imgs', '{temporal_input}'))")
    assert len(problems) == len(named)
    for problem, name in zip(problems, named):
        assert problem.startswith(name + ' ('), problem
    with pytest.raises(ValueError, match=named[0]):
        NumpyTestPipeline(steps)
