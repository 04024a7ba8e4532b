"""Video readers (PyAV, OpenCV, frame folders), registered in ``VIDEO_DECODERS``."""
from .array_reader import ArrayReader
from .auto_video_reader import auto_video_reader
from .base_video_reader import BaseVideoReader, VideoReadError
from .builder import build_video_reader
from .flow_folder_reader import FlowFolderReader
from .frame_folder_reader import FrameFolderReader
from .frame_listing import list_frame_files, mirrored_folder
from .opencv_reader import OpenCVReader
from .pyav_reader import PyAVReader
from .window_reader import WindowReader

__all__ = [
    'BaseVideoReader', 'VideoReadError', 'PyAVReader', 'OpenCVReader', 'FrameFolderReader',
    'FlowFolderReader', 'list_frame_files', 'mirrored_folder', 'build_video_reader',
    'auto_video_reader', 'WindowReader', 'ArrayReader',
]
