"""video_collate: NumPy clips -> one channels-last tensor per modality, records -> data samples."""
import numpy as np
import pytest
import torch

from vidreg.datasets import video_collate
from vidreg.datasets.base_video_dataset import DatasetError


def _sample(seed, channels_last, path='v.mp4', label=None):
    """What PackVideoInputs returns: NumPy clips by modality and a plain record."""
    rng = np.random.default_rng(seed)
    clips = rng.integers(0, 256, (2, 3, 3, 4, 5), dtype=np.uint8)  # (V, T, C, H, W)
    if channels_last:  # how decoded frames arrive: stored (V, T, H, W, C)
        clips = np.ascontiguousarray(clips.transpose(0, 1, 3, 4, 2)).transpose(0, 1, 4, 2, 3)
    record = dict(metainfo=dict(path=path))
    if label is not None:
        record.update(gt_label=label, task='classification')
    return dict(inputs=dict(imgs=clips), data_samples=record)


def test_batch_keeps_values_and_is_stored_channels_last():
    samples = [_sample(0, True, label=1), _sample(1, False), _sample(2, True)]
    batch = video_collate(samples)
    inputs = batch['inputs']['imgs']
    assert isinstance(inputs, torch.Tensor)
    assert inputs.shape == (3, 2, 3, 3, 4, 5) and inputs.dtype == torch.uint8
    for i, sample in enumerate(samples):
        np.testing.assert_array_equal(inputs[i].numpy(), sample['inputs']['imgs'])
    # Memory (B, V, T, H, W, C): channels vary fastest, one plain block.
    assert inputs.stride(3) == 1 and inputs.permute(0, 1, 2, 4, 5, 3).is_contiguous()
    assert [s.path for s in batch['data_samples']] == ['v.mp4'] * 3 and batch['skipped'] == []
    assert batch['data_samples'][0].gt_label.item() == 1
    assert 'gt_label' not in batch['data_samples'][1]


def test_a_mirrored_view_is_copied_too():
    """np.flip views (negative strides, as Flip leaves them) batch like any array."""
    sample = _sample(0, True)
    flipped = dict(sample, inputs=dict(imgs=sample['inputs']['imgs'][..., ::-1]))
    batch = video_collate([flipped])['inputs']['imgs']
    np.testing.assert_array_equal(batch[0].numpy(), sample['inputs']['imgs'][..., ::-1])


def test_clips_of_different_shapes_name_the_files():
    small = _sample(0, True, path='small.mp4')
    small['inputs']['imgs'] = small['inputs']['imgs'][..., :3, :]
    with pytest.raises(DatasetError, match='small.mp4'):
        video_collate([_sample(1, True, path='big.mp4'), small])


def test_in_a_worker_the_batch_is_built_in_shared_memory():
    """DataLoader workers collate into shared memory, so the batch reaches the main process
    without another copy; values and layout are those of the in-process collate."""
    from torch.utils.data import DataLoader
    samples = [_sample(i, channels_last=i % 2 == 0) for i in range(4)]
    loader = DataLoader(samples, batch_size=2, num_workers=1, collate_fn=_collate_in_worker)
    batches = list(loader)
    for batch, expected in zip(batches, (samples[:2], samples[2:])):
        assert batch['shared_where_built']
        direct = video_collate(expected)['inputs']['imgs']
        got = batch['inputs']['imgs']
        assert torch.equal(got, direct) and got.stride() == direct.stride()


def _collate_in_worker(samples):
    batch = video_collate(samples)
    batch['shared_where_built'] = batch['inputs']['imgs'].is_shared()
    return batch


def test_a_single_channels_last_sample_is_not_copied_in_the_main_process():
    sample = _sample(3, channels_last=True)
    inputs, clip = video_collate([sample])['inputs']['imgs'], sample['inputs']['imgs']
    assert inputs.shape == (1, *clip.shape)
    np.testing.assert_array_equal(inputs[0].numpy(), clip)
    assert np.shares_memory(inputs.numpy(), clip)  # nothing to stack
    assert inputs.permute(0, 1, 2, 4, 5, 3).is_contiguous()


def test_dict_inputs_are_stacked_key_by_key():
    samples = [_sample(i, channels_last=True) for i in range(2)]
    for i, sample in enumerate(samples):
        sample['inputs']['flow'] = np.full((2, 5, 2, 4, 5), i, np.uint8)  # (V, T_k, C_k, H, W)
    batch = video_collate(samples)
    assert set(batch['inputs']) == {'imgs', 'flow'}
    assert batch['inputs']['imgs'].shape == (2, 2, 3, 3, 4, 5)
    assert batch['inputs']['flow'].shape == (2, 2, 5, 2, 4, 5)
    assert batch['inputs']['flow'][1].eq(1).all() and batch['inputs']['flow'][0].eq(0).all()
    assert batch['inputs']['flow'].permute(0, 1, 2, 4, 5, 3).is_contiguous()
    samples[1]['inputs']['flow'] = samples[1]['inputs']['flow'][:, :4]
    with pytest.raises(DatasetError, match=r"inputs\['flow'\].*differ in shape"):
        video_collate(samples)
    samples[1]['inputs'] = dict(imgs=samples[1]['inputs']['imgs'])
    with pytest.raises(DatasetError, match='different input keys'):
        video_collate(samples)
    samples[1]['inputs'] = samples[1]['inputs']['imgs']
    with pytest.raises(DatasetError, match='not a dict of modalities'):
        video_collate(samples)
