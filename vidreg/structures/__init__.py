from .video_data_sample import VideoDataSample, to_label_tensor

__all__ = ['VideoDataSample', 'to_label_tensor']
