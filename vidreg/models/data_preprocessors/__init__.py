from .mix_up_cut_mix import MixUpCutMix
from .video_data_preprocessor import VideoDataPreprocessor

__all__ = ['MixUpCutMix', 'VideoDataPreprocessor']
