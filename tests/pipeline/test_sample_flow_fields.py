"""SampleFlowFields, and several readers per sample: OpenVideo / DecodeFrames keys, the mirrored
flow folder, frame sharing with two decoded keys."""
import cv2
import numpy as np
import pytest

from vidreg.datasets import CSVDataset, DatasetError
from vidreg.pipeline import Compose, DecodeFrames, OpenVideo, SampleFlowFields
from vidreg.pipeline.decoders import ArrayReader, VideoReadError, mirrored_folder
from vidreg.testing.tiny_video import write_tiny_video
from vidreg.utils import register_all_modules

register_all_modules()


def _fields(frame_inds, num_clips, total, **kwargs):
    results = dict(frame_inds=np.asarray(frame_inds), num_clips=num_clips,
                   flow_reader=ArrayReader(np.zeros((total, 4, 4, 3), np.uint8)))
    return SampleFlowFields(**kwargs)(results)['flow_inds'].tolist()


def test_each_clip_gets_the_pairs_of_its_frames():
    # Two clips of 5 consecutive frames: fields 2..5 and 10..13 (T - 1 = 4 pairs each).
    assert _fields([2, 3, 4, 5, 6, 10, 11, 12, 13, 14], 2, total=19) == [
        2, 3, 4, 5, 10, 11, 12, 13]
    # A strided clip keeps a consecutive native-rate stack from its first frame.
    assert _fields([0, 4, 8], 1, total=19, num_fields=3) == [0, 1, 2]


def test_centre_anchor_and_clamping():
    assert _fields([4, 6, 8, 10, 12], 1, total=19, num_fields=4, anchor='centre') == [6, 7, 8, 9]
    # Near the end the stack moves back inside the F fields; near the start forward.
    assert _fields([15, 16, 17, 18], 1, total=17, num_fields=4) == [13, 14, 15, 16]
    assert _fields([0, 1, 2], 1, total=17, num_fields=4, anchor='centre') == [0, 1, 2, 3]
    # A folder shorter than the stack repeats its last field.
    assert _fields([0, 1, 2, 2, 2], 1, total=2) == [0, 1, 1, 1]


def test_bad_inputs_say_what_is_wrong():
    with pytest.raises(KeyError, match='flow_reader'):
        SampleFlowFields()(dict(frame_inds=np.arange(3), num_clips=1, filename='a.avi'))
    with pytest.raises(ValueError, match='no frame pair'):
        _fields([3], 1, total=5)
    with pytest.raises(ValueError, match='anchor'):
        SampleFlowFields(anchor='middle')


def test_mirrored_folder_is_the_extraction_layout(tmp_path):
    video = tmp_path / 'videos' / 'run' / 'a.avi'
    assert mirrored_folder(str(video), str(tmp_path / 'videos'), str(tmp_path / 'flow')) == str(
        tmp_path / 'flow' / 'run' / 'a')
    with pytest.raises(ValueError, match='not below the video root'):
        mirrored_folder(str(tmp_path / 'other' / 'a.avi'), str(tmp_path / 'videos'), 'flow')


def test_open_video_names_the_missing_folder_and_the_command(tmp_path):
    (tmp_path / 'videos' / 'run').mkdir(parents=True)
    video = write_tiny_video(tmp_path / 'videos' / 'run' / 'a.avi')
    step = OpenVideo(reader=dict(type='FlowFolderReader'), video_root=str(tmp_path / 'videos'),
                     mirror_root=str(tmp_path / 'flow'), reader_key='flow_reader')
    with pytest.raises(VideoReadError) as error:
        step(dict(filename=video))
    message = str(error.value)
    assert video in message and str(tmp_path / 'flow' / 'run' / 'a') in message
    assert f'tools/extract_flow.py {tmp_path / "videos"} {tmp_path / "flow"}' in message
    with pytest.raises(ValueError, match='together'):
        OpenVideo(mirror_root='flow')


def test_a_dataset_reports_missing_flow_folders_when_built(tmp_path):
    (tmp_path / 'videos').mkdir()
    for name in ('a', 'b', 'c'):
        write_tiny_video(tmp_path / 'videos' / f'{name}.avi')
    (tmp_path / 'flow' / 'b').mkdir(parents=True)  # only b's flow was extracted
    (tmp_path / 'list.csv').write_text('path,label\nvideos/a.avi,0\nvideos/b.avi,1\n'
                                       'videos/c.avi,0\n')
    pipeline = [dict(type='OpenVideo'),
                dict(type='OpenVideo', reader=dict(type='FlowFolderReader'),
                     video_root=str(tmp_path / 'videos'), mirror_root=str(tmp_path / 'flow'),
                     reader_key='flow_reader')]
    config = dict(ann_file='list.csv', data_root=str(tmp_path), pipeline=pipeline, num_classes=2)
    with pytest.raises(DatasetError) as error:
        CSVDataset(**config)
    message = str(error.value)
    assert '2 of 3 samples' in message and 'tools/extract_flow.py' in message
    assert str(tmp_path / 'flow' / 'a') in message and str(tmp_path / 'flow' / 'c') in message
    with pytest.warns(UserWarning, match='skipped 2 of 3'):
        kept = CSVDataset(**config, on_bad_sample='warn_skip')
    assert [kept.get_data_info(i)['filename'] for i in range(len(kept))] == [
        str(tmp_path / 'videos' / 'b.avi')]


def _write_flow_folder(folder, count, size=32):
    folder.mkdir(parents=True)
    for i in range(1, count + 1):  # field i - 1 holds the level i in x and 255 - i in y
        cv2.imwrite(str(folder / f'x_{i:05d}.png'), np.full((size, size), i, np.uint8))
        cv2.imwrite(str(folder / f'y_{i:05d}.png'), np.full((size, size), 255 - i, np.uint8))


def test_two_readers_in_one_sample_keep_the_sample_keys_and_share_frames(tmp_path):
    """The flow reader and decode leave total_frames, avg_fps, frame_map and the shapes of the
    video alone; with overlapping test clips imgs shares its frames while flow is laid out."""
    (tmp_path / 'videos').mkdir()
    video = write_tiny_video(tmp_path / 'videos' / 'a.avi', num_frames=10, size=32)
    _write_flow_folder(tmp_path / 'flow' / 'a', 9)
    pipeline = Compose([
        dict(type='OpenVideo'),
        dict(type='OpenVideo', reader=dict(type='FlowFolderReader'),
             video_root=str(tmp_path / 'videos'), mirror_root=str(tmp_path / 'flow'),
             reader_key='flow_reader'),
        dict(type='SampleFrames', num_frames=4, num_clips=3),
        dict(type='SampleFlowFields'),
        dict(type='DecodeFrames'),
        dict(type='DecodeFrames', reader_key='flow_reader', inds_key='flow_inds', out_key='flow'),
        dict(type='CenterCrop', crop_size=24, keys=('imgs', 'flow')),
    ])
    decoders = [t for t in pipeline.steps if isinstance(t, DecodeFrames)]
    assert [d.share_repeated_frames for d in decoders] == [True, False]
    results = pipeline(dict(filename=video, test_mode=True))
    assert results['total_frames'] == 10 and results['avg_fps'] == 10.0
    assert 'frame_map' in results and len(results['imgs']) < 12  # clips overlap: shared
    starts = results['frame_inds'].reshape(3, 4)[:, 0]
    assert results['flow'].shape == (9, 2, 24, 24)  # 3 clips x 3 fields, laid out
    x = results['flow'][:, 0, 0, 0].reshape(3, 3)
    y = results['flow'][:, 1, 0, 0].reshape(3, 3)
    expected = starts[:, None] + np.arange(1, 4)  # level of field s is s + 1
    np.testing.assert_array_equal(x, expected)  # test mode: no flip
    np.testing.assert_array_equal(y, 255 - expected)
    assert results['img_shape'] == (24, 24)
    assert 'flow_reader' not in results and 'video_reader' not in results
