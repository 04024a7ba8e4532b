"""EveryClipSampleFrames in a dataset: every clip of every video is a sample (seed 004's modes
1 and 2); the pipeline's one sampler says how many samples a video yields."""
import warnings

import cv2
import numpy as np
import pytest
import torch

from vidreg.datasets import (
    ClassBalancedSampler,
    CSVDataset,
    DatasetError,
    SeededSampler,
    SkippedSample,
)
from vidreg.datasets.clip_samples import probe_videos
from vidreg.datasets.video_collate import data_sample
from vidreg.evaluation import AccuracyMetric, RegressionMetric
from vidreg.pipeline import FrameSampler
from vidreg.registry import TRANSFORMS
from vidreg.testing.tiny_video import write_tiny_video
from vidreg.utils import register_all_modules

register_all_modules()

MODE2 = dict(num_frames=3, fps=6, stride=6)  # seed 004's mode 2: 6 fps, one clip per second


def pipeline_of(clips, reader=None):
    """Open, every clip a sample, decode, pack (with the clip's frames in the metainfo)."""
    return [dict(type='OpenVideo', reader=reader), dict(type='EveryClipSampleFrames', **clips),
            dict(type='DecodeFrames'),
            dict(type='PackVideoInputs', meta_keys=('frame_inds', 'clip_index'))]


@pytest.fixture
def root(tmp_path):
    write_tiny_video(tmp_path / 'two_s.avi', num_frames=60, size=16, fps=30)  # 2 s at 30 fps
    write_tiny_video(tmp_path / 'short.avi', num_frames=8, size=16, fps=30, seed=1)
    write_tiny_video(tmp_path / 'slow.avi', num_frames=25, size=16, fps=10, seed=2)  # 2.5 s
    (tmp_path / 'train.csv').write_text('path,label\ntwo_s.avi,0\nshort.avi,1\nslow.avi,2\n')
    return tmp_path


def build(root, clips, pipeline=None, ann='train.csv', **kwargs):
    return CSVDataset(ann_file=ann, data_root=str(root), num_classes=3,
                      pipeline=pipeline or pipeline_of(clips), **kwargs)


def rows(dataset):
    """(file name, label, the sample's frames) of every sample."""
    found = []
    for i in range(len(dataset)):
        meta = dataset[i]['data_samples']['metainfo']
        found.append((meta['path'].rsplit('/', 1)[-1], dataset.get_data_info(i)['label'],
                      meta['frame_inds'].tolist()))
    return found


def test_mode2_six_fps_one_clip_per_second(root):
    dataset = build(root, MODE2)
    assert rows(dataset) == [
        ('two_s.avi', 0, [0, 5, 10]), ('two_s.avi', 0, [30, 35, 40]),  # 30 fps: 5 frames apart
        ('short.avi', 1, [0, 5, 7]),  # shorter than one clip (11 frames): one, last repeated
        # 10 fps: 10/6 frames apart, rounded; starts 10 frames (one second) apart
        ('slow.avi', 2, [0, 2, 3]), ('slow.avi', 2, [10, 12, 13]), ('slow.avi', 2, [20, 22, 23])]
    assert [dataset.get_data_info(i)['clip_index'] for i in range(6)] == [0, 1, 0, 0, 1, 2]
    meta = dataset[1]['data_samples']['metainfo']
    assert meta['num_views'] == 1 and meta['clip_index'] == 1


def test_mode1_every_frame_and_loop_padding(root):
    dataset = build(root, dict(num_frames=3))  # native rate, a new clip at every frame
    clips = [inds for name, _, inds in rows(dataset) if name == 'short.avi']
    assert clips == [[i, i + 1, i + 2] for i in range(6)]
    assert len(dataset) == 58 + 6 + 23
    spaced = build(root, dict(num_frames=4, frame_interval=4, stride=2, pad_mode='loop'))
    assert [inds for name, _, inds in rows(spaced) if name == 'short.avi'] == [[0, 4, 0, 4]]
    assert [inds for name, _, inds in rows(spaced) if name == 'slow.avi'] == [
        [0, 4, 8, 12], [8, 12, 16, 20]]


def test_a_clip_sample_decodes_its_own_frames(root):
    dataset = build(root, MODE2)
    sample = dataset[(1, 1234)]  # the way SeededSampler asks: (index, seed)
    assert tuple(sample['inputs']['imgs'].shape) == (1, 3, 3, 16, 16)  # V=1, T=3, C, H, W
    meta = sample['data_samples']['metainfo']
    assert meta['path'] == str(root / 'two_s.avi') and meta['num_views'] == 1
    assert meta['frame_inds'].tolist() == [30, 35, 40]
    reference = cv2.VideoCapture(str(root / 'two_s.avi'))
    frames = []
    while True:
        ok, frame = reference.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    expected = np.stack([frames[i] for i in (30, 35, 40)]).transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(sample['inputs']['imgs'][0], expected)


def test_a_whole_video_without_clip_index_gives_its_clips_as_views(root):
    """Inference: the same sampler on a whole video returns every clip, as views."""
    sampler = TRANSFORMS.build(dict(type='EveryClipSampleFrames', **MODE2))
    results = sampler(dict(total_frames=60, avg_fps=30.0, filename='two_s.avi'))
    assert results['num_clips'] == 2 and results['frame_inds'].tolist() == [0, 5, 10, 30, 35, 40]
    with pytest.raises(ValueError, match='clip 2 asked of a video of 2 clips'):
        sampler(dict(total_frames=60, avg_fps=30.0, filename='two_s.avi', clip_index=2))


def test_one_sampler_per_pipeline_and_one_sample_per_video_by_default(root):
    twice = [dict(type='OpenVideo'), dict(type='FPSSampleFrames', fps=6, num_frames=3),
             dict(type='EveryClipSampleFrames', **MODE2), dict(type='DecodeFrames'),
             dict(type='PackVideoInputs')]
    with pytest.raises(ValueError, match='one frame sampler'):
        build(root, None, pipeline=twice)
    once = build(root, None, pipeline=[twice[0], *twice[2:]])
    assert len(once) == 6 and once.pipeline.sampler() is once.pipeline.steps[1]
    usual = build(root, None, pipeline=twice[:2] + twice[3:])  # one sample (row) per video
    assert len(usual) == 3 and 'clip_index' not in usual.get_data_info(0)


def test_every_registered_frame_sampler_follows_the_sampler_contract():
    samplers = [name for name in TRANSFORMS.module_dict if name.endswith('SampleFrames')]
    assert {'SampleFrames', 'FPSSampleFrames', 'UniformSampleFrames',
            'EveryClipSampleFrames'} <= set(samplers)
    assert all(issubclass(TRANSFORMS.get(name), FrameSampler) for name in samplers)
    assert not issubclass(TRANSFORMS.get('DecodeFrames'), FrameSampler)


def test_bad_sampler_arguments_are_named(root):
    with pytest.raises(TypeError, match='num_frame'):
        build(root, dict(num_frame=3))
    with pytest.raises(ValueError, match='fps .* or frame_interval .* not both'):
        build(root, dict(num_frames=3, fps=6, frame_interval=2))
    with pytest.raises(ValueError, match='stride must be > 0'):
        build(root, dict(num_frames=3, stride=0))


def test_an_unreadable_video_is_named_and_follows_on_bad_sample(root):
    (root / 'broken.avi').write_bytes(b'RIFF not a video at all' * 10)
    (root / 'bad.csv').write_text('path,label\ntwo_s.avi,0\nbroken.avi,1\n')
    with pytest.raises(DatasetError) as info:
        build(root, MODE2, ann='bad.csv')
    message = str(info.value)
    assert 'bad.csv line 3' in message and str(root / 'broken.avi') in message
    assert 'cannot be opened' in message and 'on_bad_sample="warn_skip"' in message
    with pytest.warns(UserWarning, match=r'skipping bad.csv line 3: video .*broken\.avi'):
        dataset = build(root, MODE2, ann='bad.csv', on_bad_sample='warn_skip')
    assert [name for name, _, _ in rows(dataset)] == ['two_s.avi', 'two_s.avi']


def test_frame_folders_need_their_rate_for_fps_clips(root):
    folder = root / 'frames'
    folder.mkdir()
    for i in range(12):
        cv2.imwrite(str(folder / f'img_{i + 1:05d}.jpg'), np.full((16, 16, 3), 10 * i, np.uint8))
    (root / 'folders.csv').write_text('path,label\nframes,1\n')
    with pytest.raises(DatasetError, match=r"frames'.*frame rate is unknown.*FrameFolderReader"):
        build(root, MODE2, ann='folders.csv')
    reader = dict(type='auto_video_reader', folder_reader=dict(type='FrameFolderReader', fps=12))
    dataset = build(root, MODE2, ann='folders.csv', pipeline=pipeline_of(MODE2, reader))
    assert [inds for _, _, inds in rows(dataset)] == [[0, 2, 4]]  # 12 fps: 2 apart
    assert tuple(dataset[0]['inputs']['imgs'].shape) == (1, 3, 3, 16, 16)


def test_probe_reports_each_video_in_order(root):
    paths = [str(root / name) for name in ('two_s.avi', 'missing.avi', 'slow.avi')]
    found = probe_videos(paths, workers=2)
    assert found[0] == (60, pytest.approx(30.0)) and found[2] == (25, pytest.approx(10.0))
    assert 'does not exist' in found[1].reason and found[1].path == paths[1]
    assert probe_videos(paths[:1], workers=0) == [found[0]]


def test_samplers_and_serialisation_see_clip_rows(root):
    dataset = build(root, MODE2)
    # Rows are serialised (shared by DataLoader workers), compactly: a clip_index each.
    assert dataset.serialize_data and dataset.data_bytes.nbytes / len(dataset) < 250
    balanced = ClassBalancedSampler(dataset=dataset, seed=0)
    assert balanced.labels.tolist() == [0, 0, 1, 2, 2, 2]  # one label per clip row
    # Exact resume: an index names a clip, and (index, seed) always gives the same frames.
    sampler = SeededSampler(dataset, shuffle=True, seed=3)
    order = list(sampler)
    assert sorted(index for index, _ in order) == list(range(len(dataset)))
    index, seed = order[0]
    first, again = dataset[(index, seed)], dataset[(index, seed)]
    np.testing.assert_array_equal(first['inputs']['imgs'], again['inputs']['imgs'])


def test_a_clip_that_fails_to_decode_is_skipped_with_warn_skip(root):
    dataset = build(root, MODE2, on_bad_sample='warn_skip')
    (root / 'short.avi').write_bytes(b'damaged after the dataset was built')
    with warnings.catch_warnings(record=True):
        warnings.simplefilter('always')
        assert isinstance(dataset[2], SkippedSample)
    assert not isinstance(dataset[0], SkippedSample)


def _scored(dataset, index, scores):
    sample = data_sample(dataset[index]['data_samples'])
    sample.pred_score = torch.tensor(scores)
    return sample.to_dict()


def test_metrics_report_clips_and_videos(root):
    dataset = build(root, MODE2)
    # two_s (label 0): clips right, wrong; short (1): right; slow (2): wrong, wrong, right.
    scores = [[.6, .4, 0], [0, .9, .1], [0, 1, 0], [.5, .5, 0], [.6, .4, 0], [0, 0, .9]]
    metric = AccuracyMetric(topk=(1,))
    metric.process(None, [_scored(dataset, i, s) for i, s in enumerate(scores)])
    result = metric.evaluate(len(scores))
    assert result['acc/clip/top1'] == pytest.approx(3 / 6)  # clip level
    # video level: two_s averages to [.3, .65, .05] (wrong), short right, slow [.37, .3, .3]
    # (wrong)
    assert result['acc/top1'] == pytest.approx(1 / 3)
    assert metric.last_details['num_samples'] == 3

    regression = CSVDataset(ann_file='train.csv', data_root=str(root), task='regression',
                            pipeline=pipeline_of(MODE2))
    metric = RegressionMetric()
    samples = []
    for i, value in enumerate([1., -1., 1., 2., 2., 2.]):  # labels 0, 0, 1, 2, 2, 2
        sample = data_sample(regression[i]['data_samples'])
        sample.pred_value = torch.tensor([value])
        samples.append(sample.to_dict())
    metric.process(None, samples)
    result = metric.evaluate(len(samples))
    assert result['reg/clip/mae'] == pytest.approx(2 / 6)  # clips: |1 - 0| and |-1 - 0|
    assert result['reg/mae'] == pytest.approx(0.0)  # two_s averages to 0


def test_a_progress_bar_shows_when_probing_takes_long(root, monkeypatch):
    import vidreg.datasets.clip_samples as clip_samples
    paths = [str(root / 'two_s.avi'), str(root / 'slow.avi')] * 3
    quiet = probe_videos(paths, workers=2)
    monkeypatch.setattr(clip_samples, 'PROGRESS_AFTER_S', -1.0)  # "long" from the start
    started = []
    monkeypatch.setattr(clip_samples.Progress, 'start', lambda bar: started.append(bar))
    assert probe_videos(paths, workers=2) == quiet and len(started) == 1
