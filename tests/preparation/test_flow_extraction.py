"""extract_flow (tools/extract_flow.py): flow images in the x_/y_ layout, the values OpticalFlow
computes."""
import os

import cv2
import numpy as np
import pytest

from vidreg.pipeline import OpticalFlow
from vidreg.pipeline.decoders import PyAVReader
from vidreg.pipeline.flow import dequantize_flow
from vidreg.preparation import extract_flow
from vidreg.testing.tiny_video import write_moving_texture_video

SHIFT = (2, 1)  # pixels per frame, (dx, dy)


def _write_video(path):
    write_moving_texture_video(path, num_frames=6, size=64, shift=SHIFT)


def test_extracts_flow_images_like_the_on_the_fly_transform(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv('COLUMNS', '400')  # keep rich from folding the table
    videos = tmp_path / 'videos'
    videos.mkdir()
    _write_video(videos / 'shift.mkv')
    out = tmp_path / 'flow'
    assert extract_flow(str(videos), str(out), preset='ultrafast') == 0
    folder = out / 'shift'
    names = sorted(os.listdir(folder))
    assert names == ['.vidreg-flow.json'] + [f'{c}_{i:05d}.jpg' for c in 'xy' for i in range(1, 6)]
    x = np.stack([cv2.imread(str(folder / f'x_{i:05d}.jpg'), cv2.IMREAD_GRAYSCALE)
                  for i in range(1, 6)])
    y = np.stack([cv2.imread(str(folder / f'y_{i:05d}.jpg'), cv2.IMREAD_GRAYSCALE)
                  for i in range(1, 6)])
    field = dequantize_flow(np.stack([x, y], axis=1))[:, :, 12:-12, 12:-12]
    np.testing.assert_allclose(np.median(field.reshape(5, 2, -1), axis=2),
                               [SHIFT] * 5, atol=0.5)
    with PyAVReader(str(videos / 'shift.mkv')) as reader:
        imgs = reader.read(np.arange(6)).transpose(0, 3, 1, 2)
    online = OpticalFlow(preset='ultrafast')(dict(imgs=imgs, num_clips=1))['flow']
    stored = np.stack([x, y], axis=1).astype(np.int16)
    assert np.abs(stored - online).mean() < 1.0  # the same levels, up to JPEG's rounding
    capsys.readouterr()
    # Rerun: skipped, not redone; with another preset: named, not mixed in silently.
    assert extract_flow(str(videos), str(out), preset='ultrafast') == 0
    assert '0 extracted (0 flow pairs), 1 already done' in capsys.readouterr().out
    assert extract_flow(str(videos), str(out)) == 1
    assert 'already extracted with other options: --preset ultrafast (now fast)' in \
        capsys.readouterr().out


def _pipeline(steps):
    from vidreg.pipeline import Compose
    return Compose(steps)


def test_precomputed_flow_reads_as_the_on_the_fly_flow(tmp_path):
    """extract_flow -> OpenVideo(reader=FlowFolderReader) gives the network the flow
    that OpticalFlow computes while loading (up to JPEG rounding), a denseflow-named copy too."""
    from vidreg.utils import register_all_modules
    register_all_modules()
    videos = tmp_path / 'videos'
    videos.mkdir()
    _write_video(videos / 'shift.mkv')
    assert extract_flow(str(videos), str(tmp_path / 'flow'), preset='ultrafast') == 0
    tail = [dict(type='Flip', prob=1.0, keys=('flow',), flow_keys=('flow',)),
            dict(type='FramesToChannels', keys=('flow',)), dict(type='PackVideoInputs',
                                                               keys=('flow',))]
    online = _pipeline([
        dict(type='OpenVideo'), dict(type='SampleFrames', num_frames=4),
        dict(type='DecodeFrames'), dict(type='OpticalFlow', preset='ultrafast'), *tail])
    stored_steps = [
        dict(type='OpenVideo', reader=dict(type='FlowFolderReader')),
        dict(type='SampleFrames', num_frames=3), dict(type='DecodeFrames'),
        dict(type='Flip', prob=1.0, keys=('imgs',), flow_keys=('imgs',)),
        dict(type='FramesToChannels', keys=('imgs',)), dict(type='PackVideoInputs')]
    expected = online(dict(filename=str(videos / 'shift.mkv'), test_mode=True))['inputs']['flow']
    got = _pipeline(stored_steps)(dict(filename=str(tmp_path / 'flow' / 'shift'),
                                       test_mode=True))['inputs']['imgs']
    assert got.shape == expected.shape == (1, 1, 6, 64, 64)  # (V, T, 2L, H, W)
    assert np.abs(got.astype(np.int16) - expected.astype(np.int16)).mean() < 1.0
    denseflow = tmp_path / 'denseflow'
    denseflow.mkdir()
    for name in os.listdir(tmp_path / 'flow' / 'shift'):
        os.link(tmp_path / 'flow' / 'shift' / name, denseflow / f'flow_{name}')
    again = _pipeline(stored_steps)(dict(filename=str(denseflow), test_mode=True))['inputs']['imgs']
    assert np.array_equal(again, got)


@pytest.mark.parametrize('image_format,short_side', [('png', None), ('png', 48), ('jpg', None)])
def test_rgb_and_precomputed_flow_in_one_sample_equal_the_on_the_fly_route(
        tmp_path, image_format, short_side):
    """Joint RGB + flow-image samples give the network what OpticalFlow on the RGB clip gives,
    for native-rate clips at the same size: exactly with PNG (also through a resize), within
    JPEG's rounding otherwise. Train mode: random clip, crop and flip, drawn alike by both."""
    from vidreg.utils import register_all_modules
    register_all_modules()
    videos = tmp_path / 'videos'
    (videos / 'run').mkdir(parents=True)
    video = write_moving_texture_video(videos / 'run' / 'a.mkv', num_frames=12, size=64)
    flow_root = tmp_path / 'flow'
    assert extract_flow(str(videos), str(flow_root), preset='ultrafast', image_format=image_format,
                        short_side=short_side) == 0
    decode = dict(type='DecodeFrames', resize=None if short_side is None else dict(
        short_side=short_side))
    keys = ('imgs', 'flow')
    tail = [dict(type='RandomCrop', crop_size=40, keys=keys),
            dict(type='Flip', prob=0.5, keys=keys, flow_keys=('flow',)),
            dict(type='FramesToChannels', keys=('flow',)), dict(type='PackVideoInputs', keys=keys)]
    on_the_fly = _pipeline([dict(type='OpenVideo'), dict(type='SampleFrames', num_frames=5),
                            decode, dict(type='OpticalFlow', preset='ultrafast'), *tail])
    images = _pipeline([
        dict(type='OpenVideo'),
        dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root=str(videos),
             mirror_root=str(flow_root), reader_key='flow_reader'),
        dict(type='SampleFrames', num_frames=5), dict(type='SampleFlowFields'), decode,
        dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds', out_key='flow'),
        *tail])
    for seed in range(4):  # several clips, crops and flips
        outputs = []
        for pipeline in (on_the_fly, images):
            np.random.seed(seed)
            outputs.append(pipeline(dict(filename=video))['inputs'])
        expected, got = outputs
        assert np.array_equal(got['imgs'], expected['imgs'])
        assert got['flow'].shape == expected['flow'].shape == (1, 1, 8, 40, 40)  # 2L channels
        if image_format == 'png':
            assert np.array_equal(got['flow'], expected['flow'])
        else:
            difference = got['flow'].astype(np.int16) - expected['flow']
            assert np.abs(difference).max() <= 3
