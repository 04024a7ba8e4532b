from .base_video_dataset import BaseVideoDataset, DatasetError
from .csv_dataset import CSVDataset
from .daisee_dataset import DAiSEEDataset
from .synthetic import SyntheticVideoDataset
from .video_collate import video_collate

__all__ = ['BaseVideoDataset', 'DatasetError', 'CSVDataset', 'DAiSEEDataset',
           'SyntheticVideoDataset', 'video_collate']
