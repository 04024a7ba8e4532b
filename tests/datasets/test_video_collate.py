"""video_collate: one copy into a channels-last batch, values and order kept, clear errors."""
import pytest
import torch

from vidreg.datasets import video_collate
from vidreg.datasets.base_video_dataset import DatasetError
from vidreg.structures import VideoDataSample


def _sample(seed, channels_last, path='v.mp4'):
    inputs = torch.randint(0, 256, (2, 3, 3, 4, 5), dtype=torch.uint8,
                           generator=torch.Generator().manual_seed(seed))  # (V, T, C, H, W)
    if channels_last:  # how decoded frames arrive: stored (V, T, H, W, C)
        inputs = inputs.permute(0, 1, 3, 4, 2).contiguous().permute(0, 1, 4, 2, 3)
    sample = VideoDataSample()
    sample.set_metainfo(dict(path=path))
    return dict(inputs=inputs, data_samples=sample)


def test_batch_keeps_values_and_is_stored_channels_last():
    samples = [_sample(0, True), _sample(1, False), _sample(2, True)]
    batch = video_collate(samples)
    inputs = batch['inputs']
    assert inputs.shape == (3, 2, 3, 3, 4, 5) and inputs.dtype == torch.uint8
    for i, sample in enumerate(samples):
        assert torch.equal(inputs[i], sample['inputs'])
    # Memory (B, V, T, H, W, C): channels vary fastest, one plain block.
    assert inputs.stride(3) == 1 and inputs.permute(0, 1, 2, 4, 5, 3).is_contiguous()
    assert [s.path for s in batch['data_samples']] == ['v.mp4'] * 3 and batch['skipped'] == []


def test_clips_of_different_shapes_name_the_files():
    small = _sample(0, True, path='small.mp4')
    small['inputs'] = small['inputs'][..., :3, :]
    with pytest.raises(DatasetError, match='small.mp4'):
        video_collate([_sample(1, True, path='big.mp4'), small])
