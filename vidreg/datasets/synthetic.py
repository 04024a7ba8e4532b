"""The shipped demo dataset: order-dependent synthetic videos, generated once into a cache."""
from typing import Callable, Literal, Sequence, Tuple, Union

from mmengine.dist import barrier, is_main_process

from vidreg.preparation.synthetic_videos import generate_synthetic_dataset
from vidreg.registry import DATASETS

from .base_video_dataset import BadSamplePolicy, Task
from .csv_dataset import CSVDataset


@DATASETS.register_module()
class SyntheticVideoDataset(CSVDataset):
    """Real video files of moving shapes whose classes differ only by temporal order.

    On first use the videos and ``path,label`` CSVs are generated into ``data_root``
    (deterministically from ``seed``; see :mod:`vidreg.preparation.synthetic_videos`);
    later runs reuse them. The data is then read like any :class:`CSVDataset`, so it
    exercises the same decoding and sampling path as user data.

    Args:
        data_root: Cache folder of the generated dataset.
        split: ``'train'``, ``'val'`` or ``'test'``.
        task: ``'classification'`` (class index), ``'regression'`` (signed rate of change)
            or ``'multilabel'`` (the multi-label set of
            :mod:`vidreg.preparation.synthetic_multilabel_videos`: several independent
            things per clip; give it a ``data_root`` of its own).
        num_classes: Number of classes (pairs of time-reversed classes; multi-label: 1-4
            independent things).
        videos_per_class: Videos per class in (train, val, test) (multi-label: the videos
            of a split are ``num_classes`` times as many).
        num_frames_range: Inclusive range of video lengths in frames.
        frame_size: Frame size (H, W) in pixels.
        seed: Seed of the generator.
        Others: see :class:`CSVDataset`.
    """

    generates_data = True  # the data root is created on first use

    def __init__(self,
                 *,
                 data_root: str = 'data/synthetic',
                 split: Literal['train', 'val', 'test'] = 'train',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 task: Task = 'classification',
                 num_classes: int = 6,
                 videos_per_class: Tuple[int, int, int] = (40, 10, 10),
                 num_frames_range: Tuple[int, int] = (20, 40),
                 frame_size: Tuple[int, int] = (64, 64),
                 seed: int = 0,
                 on_bad_sample: BadSamplePolicy = 'error') -> None:
        if is_main_process():
            generate_synthetic_dataset(data_root, num_classes=num_classes,
                                       videos_per_class=tuple(videos_per_class),
                                       num_frames_range=tuple(num_frames_range),
                                       size=tuple(frame_size), seed=seed,
                                       multilabel=task == 'multilabel')
        barrier()
        has_classes = task != 'regression'
        super().__init__(ann_file=f"{split}{'' if has_classes else '_regression'}.csv",
                         data_root=data_root, pipeline=pipeline, test_mode=test_mode, task=task,
                         num_classes=num_classes if has_classes else None,
                         classes='classes.txt' if has_classes else None,
                         on_bad_sample=on_bad_sample)
