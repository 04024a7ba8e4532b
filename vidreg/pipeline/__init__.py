"""The data pipeline: steps registered in ``TRANSFORMS`` under their class names, decoders,
frame indices, flow images. Torch-free (NumPy, OpenCV, PyAV): importing it never imports
torch, so the deployment runner builds these very classes."""
from ._spatial import SpatialTransform
from .augment_clip import AugmentClip
from .color_jitter import ColorJitter
from .compose import Compose, plan_frame_layout
from .crop import CenterCrop, RandomCrop
from .decode_frames import DecodeFrames
from .every_clip_sample_frames import EveryClipSampleFrames
from .flip import Flip
from .fps_sample_frames import FPSSampleFrames
from .frame_indices import (
    PadMode,
    check_pad_mode,
    check_positive,
    clip_offsets,
    every_clip_indices,
    pad_indices,
    segment_indices,
    strided_clip_indices,
    total_frames_of,
    write_frame_indices,
)
from .frame_sampler import FrameSampler
from .frames_to_channels import FramesToChannels
from .grayscale import Grayscale
from .modality import (
    FLOW_FIELDS,
    GRAY_FRAMES,
    RGB_FRAMES,
    SG3I_IMAGES,
    Modalities,
    ModalitySpec,
    frame_indices,
)
from .multi_crop import TenCrop, ThreeCrop
from .multi_scale_crop import MultiScaleCrop
from .open_video import OpenVideo
from .optical_flow import OpticalFlow
from .pack_video_inputs import PackVideoInputs
from .random_erasing import RandomErasing
from .random_resized_crop import RandomResizedCrop
from .resize import Resize
from .sample_flow_fields import SampleFlowFields
from .sample_frames import SampleFrames
from .segment_sample_frames import SegmentSampleFrames
from .sg3i import SG3I
from .step import PipelineStep
from .subtract_mean_flow import SubtractMeanFlow
from .uniform_sample_frames import UniformSampleFrames

__all__ = [
    'OpenVideo', 'UniformSampleFrames', 'SampleFrames', 'FPSSampleFrames', 'SegmentSampleFrames',
    'EveryClipSampleFrames',
    'DecodeFrames', 'Resize', 'RandomCrop', 'CenterCrop', 'RandomResizedCrop', 'MultiScaleCrop',
    'ThreeCrop', 'TenCrop', 'Flip', 'ColorJitter', 'Grayscale', 'AugmentClip', 'RandomErasing',
    'PackVideoInputs',
    'SG3I', 'OpticalFlow', 'FramesToChannels', 'SampleFlowFields', 'SubtractMeanFlow',
    'Compose', 'PipelineStep', 'FrameSampler', 'plan_frame_layout', 'SpatialTransform',
    'ModalitySpec', 'Modalities', 'RGB_FRAMES', 'GRAY_FRAMES', 'FLOW_FIELDS', 'SG3I_IMAGES',
    'frame_indices',
    # frame-index helpers for frame samplers (plugins included)
    'PadMode', 'check_pad_mode', 'check_positive', 'total_frames_of', 'pad_indices',
    'segment_indices', 'strided_clip_indices', 'clip_offsets', 'every_clip_indices',
    'write_frame_indices',
]
