"""The test pipeline of an exported model, in NumPy, PyAV and OpenCV only (no torch).

``tools/infer.py --backend onnxruntime`` must run where torch is not installed,
so it cannot use vidreg's transforms (they hold frames as torch tensors). This
module runs the test-time steps that the shipped configs use, from the step
dicts stored in the .onnx (``vidreg_pipeline``). Frame indices come from the
very functions vidreg's samplers call (``frame_indices.py``, loaded by file so
that the torch-importing ``vidreg.datasets`` package is not imported); decoding,
resizing and cropping follow vidreg's transforms. A step it does not know is an
error at export time (:func:`unsupported_steps`), not a silent difference.
"""
import importlib.util
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence

import av
import cv2
import numpy as np

__all__ = ['NumpyTestPipeline', 'unsupported_steps', 'SUPPORTED_STEPS', 'TORCH_ONLY_STEPS']

SUPPORTED_STEPS = ('OpenVideo', 'UniformSampleFrames', 'SegmentSampleFrames', 'SampleFrames',
                   'DecodeFrames', 'Resize', 'CenterCrop', 'ThreeCrop', 'PackVideoInputs')
# Temporal-stream inputs (two-stream models) that only vidreg's PyTorch transforms compute.
TORCH_ONLY_STEPS = ('SG3I', 'OpticalFlow', 'FramesToChannels', 'FlowImages')
_VIDEO_FILE_READERS = ('auto_video_reader', 'PyAVReader', 'OpenCVReader')
_CV2_FLAGS = dict(bilinear=cv2.INTER_LINEAR, bicubic=cv2.INTER_CUBIC,
                  nearest=cv2.INTER_NEAREST_EXACT)


def _frame_indices_module():
    path = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'datasets', 'transforms',
                    'frame_indices.py')
    spec = importlib.util.spec_from_file_location('vidreg_frame_indices', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_INDICES = _frame_indices_module()


def unsupported_steps(steps: Sequence[dict]) -> List[str]:
    """Steps (by type) this module cannot run, with the reason."""
    problems = []
    for step in steps:
        kind = step.get('type')
        if kind in TORCH_ONLY_STEPS:
            problems.append(f'{kind} (a temporal-stream input that only the PyTorch test '
                            f'pipeline computes; not implemented in NumPy)')
        elif kind == 'PackVideoInputs' and tuple(step.get('keys', ('imgs',))) != ('imgs',):
            problems.append(f"PackVideoInputs(keys={tuple(step['keys'])}) (several inputs; "
                            f'the NumPy pipeline packs imgs only)')
        elif kind not in SUPPORTED_STEPS:
            problems.append(f'{kind} (not one of {", ".join(SUPPORTED_STEPS)})')
        elif kind == 'OpenVideo' and (step.get('reader') or {}).get(
                'type', 'auto_video_reader') not in _VIDEO_FILE_READERS:
            problems.append(f"OpenVideo(reader={step['reader']}) (video files are read with "
                            f"PyAV here; a custom reader needs the PyTorch backend)")
    return problems


def _resize_fn(scale: Optional[Sequence[int]] = None, short_side: Optional[int] = None,
               interpolation: str = 'bilinear', antialias: bool = True
               ) -> Callable[[np.ndarray], np.ndarray]:
    """One frame ``(H, W, 3)`` resized as vidreg's ``Resize`` does.

    ``antialias=False`` is OpenCV, exactly as in vidreg. ``antialias=True`` uses
    Pillow's filters, from which torchvision's antialiased uint8 kernels were
    ported: values may differ by one grey level where rounding differs.
    """
    def output_hw(height: int, width: int) -> tuple:
        if scale is not None:
            return int(scale[1]), int(scale[0])
        if height <= width:
            return short_side, max(1, round(width * short_side / height))
        return max(1, round(height * short_side / width)), short_side

    def resize(frame: np.ndarray) -> np.ndarray:
        height, width = output_hw(*frame.shape[:2])
        if (height, width) == frame.shape[:2]:
            return frame
        if not antialias or interpolation == 'nearest':
            return cv2.resize(frame, (width, height), interpolation=_CV2_FLAGS[interpolation])
        from PIL import Image
        method = Image.BILINEAR if interpolation == 'bilinear' else Image.BICUBIC
        return np.asarray(Image.fromarray(frame).resize((width, height), method))
    return resize


def _count_frames(container: av.container.InputContainer, stream) -> int:
    """The frame-count hint vidreg's PyAVReader uses (container, then duration x rate)."""
    if stream.frames > 0:
        return int(stream.frames)
    rate = stream.average_rate or stream.guessed_rate
    if stream.duration and rate and stream.time_base:
        return int(round(float(stream.duration * stream.time_base * rate)))
    if container.duration and rate:
        return int(round(container.duration / av.time_base * float(rate)))
    return sum(1 for _ in container.decode(stream))


def _decode(path: str, indices: np.ndarray) -> np.ndarray:
    """Frames ``indices`` of a video, uint8 ``(N, H, W, 3)``, decoding forward once.

    Only the wanted frames are kept; an index past the real end gives the last frame.
    """
    wanted = set(indices.tolist())
    last_wanted = max(wanted)
    kept: Dict[int, np.ndarray] = {}
    frame = None
    with av.open(path) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                kept[index] = frame.to_ndarray(format='rgb24')
            if index >= last_wanted:
                break
        if frame is None:
            raise ValueError(f'{path!r}: no frame could be decoded')
        past_end = frame.to_ndarray(format='rgb24')  # stands in for indices past the end
    return np.stack([kept.get(i, past_end) for i in indices.tolist()])


def _crop(frames: np.ndarray, size, *, three: bool, path: str) -> np.ndarray:
    """``CenterCrop`` or ``ThreeCrop`` (start, middle, end of the longer side; crop-major)."""
    width, height = (size, size) if isinstance(size, int) else size
    img_h, img_w = frames.shape[1:3]
    if img_h < height or img_w < width:
        raise ValueError(f'{path!r}: frames {(img_h, img_w)} are smaller than the crop '
                         f'{(height, width)}')
    top, left = (img_h - height) // 2, (img_w - width) // 2
    if not three:
        corners = [(top, left)]
    elif img_w - width >= img_h - height:
        corners = [(top, 0), (top, left), (top, img_w - width)]
    else:
        corners = [(0, left), (top, left), (img_h - height, left)]
    return np.concatenate([frames[:, y:y + height, x:x + width] for y, x in corners])


class NumpyTestPipeline:
    """Run stored test-pipeline steps on a video file.

    Args:
        steps: The ``vidreg_pipeline`` metadata: step dicts with ``type``.

    Raises:
        ValueError: A step is not supported (see :data:`SUPPORTED_STEPS`).
    """

    def __init__(self, steps: Sequence[dict]) -> None:
        problems = unsupported_steps(steps)
        if problems:
            raise ValueError('The onnxruntime backend cannot run these test-pipeline steps: '
                             f'{"; ".join(problems)}. Use the PyTorch backend (a checkpoint).')
        self.steps = [dict(step) for step in steps]

    def __call__(self, path: str) -> np.ndarray:
        """Packed clips of one video, uint8 ``(V, T, C, H, W)``, as vidreg packs them."""
        if osp.isdir(path):
            raise ValueError(f'{path!r} is a frame folder; the onnxruntime backend reads video '
                             f'files (use the PyTorch backend for frame folders).')
        with av.open(path) as container:
            stream = container.streams.video[0]
            total = _count_frames(container, stream)
        indices, clips, crops, num_frames, frames = None, 1, 1, None, None
        for step in self.steps:
            kind, args = step['type'], {k: v for k, v in step.items() if k != 'type'}
            if kind in ('UniformSampleFrames', 'SegmentSampleFrames'):
                clips, num_frames = args.get('num_clips', 1), args['num_frames']
                indices = _INDICES.segment_indices(
                    total, num_frames, clips, test_mode=True, jitter='shared',
                    pad_mode=args.get('pad_mode', 'loop'))
            elif kind == 'SampleFrames':
                clips, num_frames = args.get('num_clips', 1), args['num_frames']
                indices = _INDICES.strided_clip_indices(
                    total, num_frames, args.get('frame_interval', 1), clips, test_mode=True,
                    pad_mode=args.get('pad_mode', 'loop'))
            elif kind == 'DecodeFrames':
                frames = _decode(path, np.asarray(indices))
                if args.get('resize'):
                    resize = _resize_fn(**args['resize'])
                    frames = np.stack([resize(f) for f in frames])
            elif kind == 'Resize':
                resize = _resize_fn(**args)
                frames = np.stack([resize(f) for f in frames])
            elif kind in ('CenterCrop', 'ThreeCrop'):
                frames = _crop(frames, args['crop_size'], three=kind == 'ThreeCrop', path=path)
                crops *= 3 if kind == 'ThreeCrop' else 1
        frames = frames.transpose(0, 3, 1, 2)  # (crops * clips * T, C, H, W), crop-major
        return np.ascontiguousarray(frames.reshape(crops * clips, num_frames, *frames.shape[1:]))
