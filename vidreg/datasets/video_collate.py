"""Batching of packed samples: the boundary where NumPy frames become torch tensors."""
import math
from typing import Any, List, Sequence

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import get_worker_info

from vidreg.registry import FUNCTIONS
from vidreg.structures import VideoDataSample

from .base_video_dataset import DatasetError
from .skipped_sample import SkippedSample


def is_empty_batch(batch: Any) -> bool:
    """Whether a collated batch holds no sample (every one of them was skipped).

    The loops of :mod:`vidreg.engine.runner` skip such a batch (and count it) instead of
    running the model on it.
    """
    return isinstance(batch, dict) and 'data_samples' in batch and not batch['data_samples']


@FUNCTIONS.register_module()
def video_collate(samples: Sequence[Any]) -> dict:
    """Stack the samples' NumPy clips into uint8 tensors; make their records data samples.

    The pipeline (:mod:`vidreg.pipeline`) is torch-free; this is where its output becomes
    torch: each modality's clips are copied once into one tensor, each plain record into
    a :class:`~vidreg.structures.VideoDataSample`.

    Samples skipped at runtime (``on_bad_sample='warn_skip'``, see
    :mod:`vidreg.datasets.skip_bad_samples`) are dropped and listed, never replaced. If
    every sample of the batch was skipped, the batch is empty (``inputs`` is ``None``,
    ``data_samples`` ``[]``, see :func:`is_empty_batch`): the loops skip it and the
    :class:`~vidreg.engine.hooks.SkippedSamplesHook` counts it.

    Args:
        samples: Outputs of ``PackVideoInputs`` (``inputs`` ``{name: uint8 (V, T, C, H,
            W)}`` NumPy arrays, one per modality, and ``data_samples``, the sample's plain
            record) and :class:`SkippedSample` markers.

    Returns:
        ``inputs`` ``{name: uint8 (B, V, T, C, H, W)}``, stacked key by key,
        stored channels-last: the memory is ``(B, V, T, H, W, C)``, the layout frames
        are decoded in, so batching is one plain copy (no transpose on the CPU; the
        data preprocessor permutes on the device),
        ``data_samples``, a list of B ``VideoDataSample``, ``skipped``, a list of
        ``(path, reason)`` of the dropped samples, and ``truncated``, a list of ``(path,
        header count, real count)`` of the samples from truncated videos (see
        :class:`~vidreg.pipeline.DecodeFrames`).

    Raises:
        DatasetError: Clips differ in shape, or samples pack different modalities.
    """
    skipped = [(s.path, s.reason) for s in samples if isinstance(s, SkippedSample)]
    good = [s for s in samples if not isinstance(s, SkippedSample)]
    if not good:
        return dict(inputs=None, data_samples=[], skipped=skipped, truncated=[])
    data_samples = [data_sample(s['data_samples']) for s in good]
    paths = [s.metainfo.get('path') for s in data_samples]
    not_named = [path for path, s in zip(paths, good) if not isinstance(s['inputs'], dict)]
    if not_named:
        raise DatasetError(f'Samples {not_named} have inputs that are not a dict of modalities '
                           f'{{name: clips}}; end the pipeline with PackVideoInputs.')
    keys = [tuple(s['inputs']) for s in good]
    if len(set(keys)) != 1:
        raise DatasetError(f'Samples of one batch pack different input keys {keys} ({paths}); '
                           f'every sample must go through the same pipeline.')
    inputs = {key: _stack([s['inputs'][key] for s in good], paths, f'inputs[{key!r}]')
              for key in keys[0]}
    truncated = [(s.metainfo['path'], *s.metainfo['truncated_frames']) for s in data_samples
                 if 'truncated_frames' in s.metainfo]
    return dict(inputs=inputs, data_samples=data_samples, skipped=skipped, truncated=truncated)


def data_sample(record: dict) -> VideoDataSample:
    """The :class:`VideoDataSample` of a packed sample's record (``metainfo``, and
    ``gt_label`` with its ``task`` when labelled)."""
    sample = VideoDataSample(metainfo=record['metainfo'])
    if 'gt_label' in record:
        sample.set_gt_label(record['gt_label'], record['task'])
    return sample


def _stack(clips: List[np.ndarray], paths: List, name: str) -> Tensor:
    """B x uint8 (V, T, C, H, W) -> (B, V, T, C, H, W) stored (B, V, T, H, W, C)."""
    shapes = {tuple(clip.shape) for clip in clips}
    if len(shapes) != 1:
        raise DatasetError(f'Clips ({name}) of one batch differ in shape {sorted(shapes)} '
                           f'({paths}); make the pipeline end with a fixed-size crop and a fixed '
                           f'number of frames.')
    hwc = [clip.transpose(0, 1, 3, 4, 2) for clip in clips]  # B x (V, T, H, W, C)
    shape = (len(hwc), *hwc[0].shape)
    in_worker = get_worker_info() is not None
    if len(hwc) == 1 and not in_worker and hwc[0].flags.c_contiguous and hwc[0].flags.writeable:
        stored = torch.from_numpy(hwc[0])[None]  # batch_size=1 in the main process: no copy
    else:
        dtype = torch.from_numpy(np.empty(0, hwc[0].dtype)).dtype  # uint8 for frames
        if in_worker:
            # Build the batch straight in shared memory (as torch's default_collate does):
            # sending it to the main process then copies nothing.
            storage = torch.UntypedStorage._new_shared(math.prod(shape) * hwc[0].itemsize)
            stored = torch.empty(0, dtype=dtype).set_(storage).view(shape)
        else:
            stored = torch.empty(shape, dtype=dtype)
        rows = stored.numpy()
        for row, clip in zip(rows, hwc):  # a plain memcpy when the clip is channels-last
            np.copyto(row, clip)
    return stored.permute(0, 1, 2, 5, 3, 4)  # (B, V, T, C, H, W)
