"""PackVideoInputs: view layout by modality, the plain record (labels, metainfo)."""
import numpy as np
import pytest

from vidreg.datasets import video_collate
from vidreg.pipeline import PackVideoInputs


def coded_frames(num_crops, num_clips, num_frames):
    """Frame value = 100 * crop + 10 * clip + t, stacked crop-major then clip, stored
    channels-last as decoded."""
    values = [100 * k + 10 * c + t for k in range(num_crops) for c in range(num_clips)
              for t in range(num_frames)]
    frames = np.broadcast_to(np.array(values, np.uint8)[:, None, None, None],
                             (len(values), 4, 5, 3))
    return frames.copy().transpose(0, 3, 1, 2)  # (N, 3, 4, 5)


def test_train_sample_has_one_view_and_a_plain_record():
    results = dict(imgs=coded_frames(1, 1, 8), num_frames=8, num_clips=1, filename='/v/a.mp4',
                   sample_idx=7, label=2, task='classification')
    packed = PackVideoInputs()(results)
    assert set(packed) == {'inputs', 'data_samples'} and set(packed['inputs']) == {'imgs'}
    clips = packed['inputs']['imgs']
    assert clips.shape == (1, 8, 3, 4, 5) and clips.dtype == np.uint8
    assert packed['data_samples'] == dict(
        metainfo=dict(path='/v/a.mp4', sample_idx=7, num_views=1), gt_label=2,
        task='classification')
    sample = video_collate([packed])['data_samples'][0]  # the record becomes a data sample
    assert sample.gt_label.item() == 2 and sample.metainfo == packed['data_samples']['metainfo']


def test_views_are_crop_major_then_clip():
    imgs = coded_frames(3, 2, 4)
    results = dict(imgs=imgs, num_clips=2, num_crops=3, filename='v.avi', sample_idx=0,
                   label=[0.5, 1.5], task='regression', img_shape=(4, 5))
    packed = PackVideoInputs(meta_keys=('img_shape', 'absent'))(results)
    inputs = packed['inputs']['imgs']
    assert inputs.shape == (6, 4, 3, 4, 5)
    assert np.shares_memory(inputs, imgs)  # a view: video_collate makes the one copy
    for v in range(6):
        crop, clip = divmod(v, 2)
        assert inputs[v, :, 0, 0, 0].tolist() == [100 * crop + 10 * clip + t for t in range(4)]
    record = packed['data_samples']
    assert record['metainfo'] == dict(path='v.avi', sample_idx=0, num_views=6, img_shape=(4, 5))
    assert video_collate([packed])['data_samples'][0].gt_label.tolist() == [0.5, 1.5]


def test_without_label_and_errors():
    packed = PackVideoInputs()(dict(imgs=coded_frames(1, 1, 2), filename='x'))
    assert 'gt_label' not in packed['data_samples'] and packed['inputs']['imgs'].shape[:2] == (1, 2)
    with pytest.raises(KeyError, match='task'):
        PackVideoInputs()(dict(imgs=coded_frames(1, 1, 2), filename='x', label=1))
    with pytest.raises(ValueError, match='views'):
        PackVideoInputs()(dict(imgs=coded_frames(1, 1, 7), num_clips=2, filename='x'))


def test_several_keys_pack_a_dict_with_their_own_frames_and_channels():
    flow = np.broadcast_to(np.arange(8 * 2, dtype=np.uint8).reshape(8, 2, 1, 1), (8, 2, 4, 5))
    results = dict(imgs=coded_frames(1, 2, 4), flow=flow.copy(), num_clips=2,
                   frame_map=np.arange(8), filename='v.avi')  # flow: T_k = 4, C_k = 2
    packed = PackVideoInputs(keys=('imgs', 'flow'))(results)
    inputs = packed['inputs']
    assert list(inputs) == ['imgs', 'flow']
    assert inputs['imgs'].shape == (2, 4, 3, 4, 5) and inputs['flow'].shape == (2, 4, 2, 4, 5)
    np.testing.assert_array_equal(inputs['flow'].reshape(8, 2, 4, 5), flow)  # as it came
    assert packed['data_samples']['metainfo']['num_views'] == 2
    assert "keys=('imgs', 'flow')" in repr(PackVideoInputs(keys=('imgs', 'flow')))
    with pytest.raises(KeyError, match="no 'depth'.*every packed key"):
        PackVideoInputs(keys=('imgs', 'depth'))(results)
    with pytest.raises(ValueError, match="'flow' cannot be 2 views"):
        PackVideoInputs(keys=('imgs', 'flow'))({**results, 'flow': flow[:7]})
    with pytest.raises(ValueError, match='repeat'):
        PackVideoInputs(keys=('imgs', 'imgs'))
