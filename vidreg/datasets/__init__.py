from .base_video_dataset import BaseVideoDataset, DatasetError
from .csv_dataset import CSVDataset
from .daisee_dataset import DAiSEEDataset
from .preflight import check_data_roots
from .seeded_sampler import SeededSampler
from .synthetic import SyntheticVideoDataset
from .video_collate import video_collate

__all__ = ['BaseVideoDataset', 'DatasetError', 'CSVDataset', 'DAiSEEDataset',
           'SyntheticVideoDataset', 'SeededSampler', 'video_collate', 'check_data_roots']
from .class_balanced_sampler import ClassBalancedSampler  # noqa: E402
from .folder_dataset import FolderDataset  # noqa: E402
from .hmdb51_dataset import HMDB51Dataset  # noqa: E402
from .skip_bad_samples import SkippedSample, prepare_or_skip  # noqa: E402
from .ucf101_dataset import UCF101Dataset  # noqa: E402

__all__ += ['ClassBalancedSampler', 'FolderDataset', 'HMDB51Dataset', 'UCF101Dataset',
            'SkippedSample', 'prepare_or_skip']
