"""PackVideoInputs: view layout, labels and metainfo."""
import pytest
import torch

from vidreg.pipeline import PackVideoInputs
from vidreg.structures import VideoDataSample


def coded_frames(num_crops, num_clips, num_frames):
    """Frame value = 100 * crop + 10 * clip + t, stacked crop-major then clip."""
    values = [100 * k + 10 * c + t for k in range(num_crops) for c in range(num_clips)
              for t in range(num_frames)]
    return torch.tensor(values, dtype=torch.uint8).view(-1, 1, 1, 1).expand(-1, 3, 4, 5).clone()


def test_train_sample_has_one_view():
    results = dict(imgs=coded_frames(1, 1, 8), num_frames=8, num_clips=1, filename='/v/a.mp4',
                   sample_idx=7, label=2, task='classification')
    packed = PackVideoInputs()(results)
    assert set(packed) == {'inputs', 'data_samples'}
    clips = packed['inputs']['imgs']
    assert clips.shape == (1, 8, 3, 4, 5) and clips.dtype == torch.uint8
    sample = packed['data_samples']
    assert isinstance(sample, VideoDataSample)
    assert sample.gt_label.item() == 2 and sample.gt_label.dtype == torch.int64
    assert sample.metainfo == dict(path='/v/a.mp4', sample_idx=7, num_views=1)


def test_views_are_crop_major_then_clip():
    imgs = coded_frames(3, 2, 4).contiguous(memory_format=torch.channels_last)
    results = dict(imgs=imgs, num_frames=4, num_clips=2, num_crops=3, filename='v.avi',
                   sample_idx=0, label=[0.5, 1.5], task='regression', img_shape=(4, 5))
    packed = PackVideoInputs(meta_keys=('img_shape', 'absent'))(results)
    inputs = packed['inputs']['imgs']
    assert inputs.shape == (6, 4, 3, 4, 5)
    assert inputs.data_ptr() == imgs.data_ptr()  # a view: video_collate makes the one copy
    for v in range(6):
        crop, clip = divmod(v, 2)
        assert inputs[v, :, 0, 0, 0].tolist() == [100 * crop + 10 * clip + t for t in range(4)]
    sample = packed['data_samples']
    assert sample.num_views == 6 and sample.img_shape == (4, 5) and 'absent' not in sample
    assert sample.gt_label.tolist() == [0.5, 1.5]


def test_without_label_and_errors():
    packed = PackVideoInputs()(dict(imgs=coded_frames(1, 1, 2), filename='x'))
    assert 'gt_label' not in packed['data_samples'] and packed['inputs']['imgs'].shape[:2] == (1, 2)
    with pytest.raises(KeyError, match='task'):
        PackVideoInputs()(dict(imgs=coded_frames(1, 1, 2), filename='x', label=1))
    with pytest.raises(ValueError, match='views'):
        PackVideoInputs()(dict(imgs=coded_frames(1, 1, 6), num_frames=4, filename='x'))


def test_several_keys_pack_a_dict_with_their_own_frames_and_channels():
    flow = torch.arange(8 * 2, dtype=torch.uint8).view(8, 2, 1, 1).expand(-1, -1, 4, 5)
    results = dict(imgs=coded_frames(1, 2, 4), flow=flow.clone(), num_frames=4, num_clips=2,
                   frame_map=torch.arange(8), filename='v.avi')  # flow: T_k = 4, C_k = 2
    packed = PackVideoInputs(keys=('imgs', 'flow'))(results)
    inputs = packed['inputs']
    assert set(inputs) == {'imgs', 'flow'}
    assert inputs['imgs'].shape == (2, 4, 3, 4, 5) and inputs['flow'].shape == (2, 4, 2, 4, 5)
    assert torch.equal(inputs['flow'].reshape(8, 2, 4, 5), flow)  # clip-major, as it came
    assert packed['data_samples'].num_views == 2
    assert "keys=('imgs', 'flow')" in repr(PackVideoInputs(keys=('imgs', 'flow')))
    with pytest.raises(KeyError, match="no 'depth'.*every packed key"):
        PackVideoInputs(keys=('imgs', 'depth'))(results)
    with pytest.raises(ValueError, match="'flow' cannot be 2 views"):
        PackVideoInputs(keys=('imgs', 'flow'))({**results, 'flow': flow[:7]})
    with pytest.raises(ValueError, match='distinct'):
        PackVideoInputs(keys=('imgs', 'imgs'))
