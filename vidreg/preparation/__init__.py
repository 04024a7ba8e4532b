"""Offline data preparation: frame and flow extraction, videos prepared for random access,
synthetic videos, annotation CSVs.

Nothing here runs while a model trains or tests, except the synthetic demo dataset generating
its videos on first use; the runtime datasets live in :mod:`vidreg.datasets`.
"""
from .build_annotations import LAYOUTS, build_annotations, layout_datasets
from .extraction_arguments import extraction_parser, parse_extraction_args, preparation_parser
from .extraction_record import ExtractionRecord, folder_problem, read_record, write_record
from .extraction_run import (
    extract_flow,
    extract_frames,
    plan_extraction,
    report_extraction,
    run_extraction,
)
from .frame_extraction import (
    VIDEO_EXTENSIONS,
    ExtractJob,
    ExtractResult,
    extract_video,
    find_videos,
    plan_jobs,
    read_video_list,
)
from .synthetic_videos import CLASS_NAMES, generate_synthetic_dataset
from .video_encoding import CONTAINERS, EncoderSettings, check_copy, encode_video, encoder_settings
from .video_preparation import prepare_video, prepare_videos

__all__ = ['LAYOUTS', 'build_annotations', 'layout_datasets', 'extraction_parser',
           'parse_extraction_args', 'ExtractionRecord', 'folder_problem', 'read_record',
           'write_record', 'extract_flow', 'extract_frames', 'plan_extraction',
           'report_extraction', 'run_extraction', 'VIDEO_EXTENSIONS', 'ExtractJob',
           'ExtractResult', 'extract_video', 'find_videos', 'plan_jobs', 'read_video_list',
           'CLASS_NAMES', 'generate_synthetic_dataset', 'preparation_parser', 'CONTAINERS',
           'EncoderSettings', 'check_copy', 'encode_video', 'encoder_settings', 'prepare_video',
           'prepare_videos']
