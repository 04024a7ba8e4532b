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
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

import av
import cv2
import numpy as np

__all__ = ['NumpyTestPipeline', 'PackedVideo', 'unsupported_steps', 'SUPPORTED_STEPS']

# Temporal-stream inputs of two-stream models, computed from the RGB frames (``key='imgs'``).
TEMPORAL_INPUT_STEPS = ('SG3I', 'OpticalFlow', 'FramesToChannels')
SPATIAL_STEPS = ('Resize', 'CenterCrop', 'ThreeCrop')
SUPPORTED_STEPS = ('OpenVideo', 'UniformSampleFrames', 'SegmentSampleFrames', 'SampleFrames',
                   'EveryClipSampleFrames', 'DecodeFrames', *SPATIAL_STEPS, *TEMPORAL_INPUT_STEPS,
                   'PackVideoInputs')
_VIDEO_FILE_READERS = ('auto_video_reader', 'PyAVReader', 'OpenCVReader')
_CV2_FLAGS = dict(bilinear=cv2.INTER_LINEAR, bicubic=cv2.INTER_CUBIC,
                  nearest=cv2.INTER_NEAREST_EXACT)


def _datasets_module(*parts: str):
    """A torch-free file of ``vidreg/pipeline`` loaded by path (the package imports torch)."""
    path = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'pipeline', *parts)
    spec = importlib.util.spec_from_file_location(f'vidreg_{parts[-1][:-3]}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_INDICES = _datasets_module('frame_indices.py')
_FLOW = _datasets_module('flow.py')


def _reads_precomputed(step: dict) -> bool:
    """Whether a step reads a second source of the sample (e.g. precomputed flow images)."""
    kind = step.get('type')
    return (kind == 'OpenVideo' and (step.get('reader_key', 'video_reader') != 'video_reader'
                                     or step.get('mirror_root') is not None)
            or kind == 'SampleFlowFields'
            or kind == 'DecodeFrames' and (step.get('reader_key', 'video_reader'),
                                           step.get('out_key', 'imgs')) != ('video_reader',
                                                                            'imgs'))


def unsupported_steps(steps: Sequence[dict]) -> List[str]:
    """Steps (by type) this module cannot run, with the reason."""
    problems, temporal, precomputed = [], None, []
    for step in steps:
        kind = step.get('type')
        if _reads_precomputed(step):
            named = ', '.join(f'{key}={step[key]!r}' for key in ('reader_key', 'out_key')
                              if key in step)
            precomputed.append(f'{kind}({named})')
        elif kind in ('SG3I', 'OpticalFlow') and step.get('key', 'imgs') != 'imgs':
            problems.append(f"{kind}(key={step['key']!r}) (computed from imgs only here)")
        elif kind == 'FramesToChannels' and 'imgs' in step.get('keys', ('flow',)):
            problems.append("FramesToChannels(keys=(..., 'imgs')) (stacks computed inputs only "
                            'here, not the RGB frames)')
        elif kind in SPATIAL_STEPS and temporal is not None:
            problems.append(f'{kind} after {temporal} (spatial steps run before the temporal '
                            f'inputs here)')
        elif kind not in SUPPORTED_STEPS:
            problems.append(f'{kind} (not one of {", ".join(SUPPORTED_STEPS)})')
        elif kind == 'OpenVideo' and (step.get('reader') or {}).get(
                'type', 'auto_video_reader') not in _VIDEO_FILE_READERS:
            problems.append(f"OpenVideo(reader={step['reader']}) (video files are read with "
                            f"PyAV here; a custom reader needs the PyTorch backend)")
        temporal = kind if kind in ('SG3I', 'OpticalFlow') else temporal
    if precomputed:
        problems.insert(0, f'{", ".join(precomputed)} (read precomputed inputs, e.g. flow '
                           f'images, beside the video: only the video is read here; export a '
                           f"config that computes them while loading, e.g. flow_source = "
                           f"'on_the_fly')")
    return problems


def _resize_fn(scale: Optional[Sequence[int]] = None, short_side: Optional[int] = None,
               interpolation: str = 'bilinear', antialias: bool = True, keys=('imgs',)
               ) -> Callable[[np.ndarray], np.ndarray]:
    """One frame ``(H, W, 3)`` resized as vidreg's ``Resize`` does (OpenCV; shrinking with
    ``antialias=True`` is ``INTER_AREA``)."""
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
        shrinks = height < frame.shape[0] or width < frame.shape[1]
        flag = (cv2.INTER_AREA if antialias and shrinks and interpolation != 'nearest'
                else _CV2_FLAGS[interpolation])
        return cv2.resize(frame, (width, height), interpolation=flag)
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


def _decode(path: str, indices: np.ndarray) -> Tuple[np.ndarray, Optional[int]]:
    """Frames ``indices`` of a video, uint8 ``(N, H, W, 3)``, decoding forward once.

    Only the wanted frames are kept; an index past the real end gives the last frame, as
    vidreg's readers do.

    Returns:
        The frames, and the real frame count when the video ended before the last index
        asked for (a truncated file, as vidreg's readers find it), else ``None``.
    """
    wanted = set(indices.tolist())
    last_wanted = max(wanted)
    kept: Dict[int, np.ndarray] = {}
    frame, index = None, -1
    with av.open(path) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                kept[index] = frame.to_ndarray(format='rgb24')
            if index >= last_wanted:
                break
        if frame is None:
            raise ValueError(f'{path!r}: no frame could be decoded')
        past_end = frame.to_ndarray(format='rgb24')  # stands in for indices past the end
    real_count = index + 1 if index < last_wanted else None
    return np.stack([kept.get(i, past_end) for i in indices.tolist()]), real_count


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


def _views(frames: np.ndarray, num_views: int, num_frames: int) -> np.ndarray:
    """``(V * T, H, W, 3)`` crop-major frames -> ``(V, T, H, W, 3)``."""
    return frames.reshape(num_views, num_frames, *frames.shape[1:])


def _luma(views: np.ndarray) -> np.ndarray:
    """uint8 RGB ``(..., H, W, 3)`` -> uint8 luma ``(..., H, W)``, as vidreg's ``SG3I``.

    The arithmetic of ``torchvision``'s ``rgb_to_grayscale`` on uint8: float32
    ``0.2989 R + 0.587 G + 0.114 B`` accumulated in that order, truncated to uint8.
    """
    rgb = views.astype(np.float32)
    luma = rgb[..., 0] * np.float32(0.2989)
    luma += rgb[..., 1] * np.float32(0.587)
    luma += rgb[..., 2] * np.float32(0.114)
    return luma.astype(np.uint8)


class PackedVideo(NamedTuple):
    """What :meth:`NumpyTestPipeline.pack` returns for one video."""

    inputs: Dict[str, np.ndarray]  # {name: uint8 (V, T_k, C_k, H, W)}
    truncated_frames: Optional[Tuple[int, int]]  # (header count, real count) if it ended early


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

    def __call__(self, path: str) -> Dict[str, np.ndarray]:
        """Packed clips of one video, as vidreg packs them (:attr:`PackedVideo.inputs`)."""
        return self.pack(path).inputs

    def pack(self, path: str) -> PackedVideo:
        """Packed clips of one video, and whether it ended before its header's frame count.

        Returns:
            ``inputs``: ``{name: uint8 (V, T_k, C_k, H, W)}``, one per key of
            ``PackVideoInputs`` (e.g. ``imgs`` and ``sg3i`` or ``flow``).
            ``truncated_frames``: ``(header count, real count)`` when a clip reached past
            the real end (its last frames repeat the last real one), as vidreg's
            ``DecodeFrames`` reports it; else ``None``.
        """
        if osp.isdir(path):
            raise ValueError(f'{path!r} is a frame folder; the onnxruntime backend reads video '
                             f'files (use the PyTorch backend for frame folders).')
        with av.open(path) as container:
            stream = container.streams.video[0]
            total = _count_frames(container, stream)
            rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        indices, clips, crops, num_frames, frames, real_count = None, 1, 1, None, None, None
        computed, keys = {}, ('imgs',)  # temporal-stream inputs (V, T_k, C_k, H, W); packed keys
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
            elif kind == 'EveryClipSampleFrames':  # every clip a view (see vidreg's class)
                num_frames, fps = args['num_frames'], args.get('fps')
                if fps is not None and not rate:
                    raise ValueError(f'{path!r} has no frame rate; clips are resampled to {fps} '
                                     f'fps')
                interval = args.get('frame_interval', 1) if fps is None else float(rate) / fps
                every = _INDICES.every_clip_indices(
                    total, num_frames, interval, args.get('stride', 1),
                    pad_mode=args.get('pad_mode', 'loop'))
                clips, indices = len(every), every.reshape(-1)
            elif kind == 'DecodeFrames':
                frames, real_count = _decode(path, np.asarray(indices))
                if args.get('resize'):
                    resize = _resize_fn(**args['resize'])
                    frames = np.stack([resize(f) for f in frames])
            elif kind == 'Resize':
                resize = _resize_fn(**args)
                frames = np.stack([resize(f) for f in frames])
            elif kind in ('CenterCrop', 'ThreeCrop'):
                frames = _crop(frames, args['crop_size'], three=kind == 'ThreeCrop', path=path)
                crops *= 3 if kind == 'ThreeCrop' else 1
            elif kind == 'SG3I':  # (V, 1, 3, H, W): the grays of a clip's 3 frames
                views = _views(frames, crops * clips, num_frames)
                if num_frames != 3:
                    raise ValueError(f'SG3I needs clips of 3 frames, got {num_frames} for '
                                     f'{path!r}; sample with num_frames=3.')
                computed[args.get('out_key', 'sg3i')] = _luma(views)[:, None]
            elif kind == 'OpticalFlow':  # (V, T - 1, 2, H, W)
                flow = _FLOW.flow_function(args.get('method', 'dis'), args.get('preset', 'fast'))
                computed[args.get('out_key', 'flow')] = np.stack([
                    _FLOW.clip_flow_levels(view, flow, args.get('bound', 20.0))
                    for view in _views(frames, crops * clips, num_frames)])
            elif kind == 'FramesToChannels':  # (V, T, C, H, W) -> (V, 1, T * C, H, W)
                for key in args.get('keys', ('flow',)):
                    value = computed[key]
                    computed[key] = value.reshape(value.shape[0], 1, -1, *value.shape[-2:])
            elif kind == 'PackVideoInputs':
                keys = tuple(args.get('keys', ('imgs',)))
        computed.setdefault(  # unless a step wrote its output over imgs (out_key='imgs')
            'imgs', _views(frames, crops * clips, num_frames).transpose(0, 1, 4, 2, 3))
        missing = [key for key in keys if key not in computed]
        if missing:
            raise ValueError(f'PackVideoInputs keys {missing} are computed by no step of the '
                             f'stored pipeline ({[step["type"] for step in self.steps]}).')
        packed = {key: np.ascontiguousarray(computed[key]) for key in keys}
        truncated = (total, real_count) if real_count is not None and real_count < total \
            else None
        return PackedVideo(packed, truncated)
