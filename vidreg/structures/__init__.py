from .inputs import Inputs
from .video_data_sample import VideoDataSample, to_label_tensor

__all__ = ['Inputs', 'VideoDataSample', 'to_label_tensor']
