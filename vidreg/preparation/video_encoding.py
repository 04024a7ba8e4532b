"""Re-encode one video for random access, then check the copy against the video.

Training reads a clip by seeking to the keyframe before it and decoding forward to its last
frame. A long GOP (a keyframe every few seconds) makes that decode many frames nobody wants;
CABAC, the deblocking filter and reference B-frames make each frame dear. The copy written
here has a keyframe every ``gop`` frames, is encoded for fast decoding and may be smaller
(``short_side``), at a constant frame rate: frame ``i`` of the copy is frame ``i`` of the
video. The default codec is MPEG-4 Part 2 (what UCF101 and HMDB51 ship): one core decodes a
340x256 frame of it in ~0.13 ms, against ~0.33 ms for a reference frame of H.264 even with
``tune=fastdecode``, so 16x4 clips read ~1.4x faster than from the H.264 copy (at ~1.2x its
size; docs/preparing_videos.md has the figures). H.264 (``codec='libx264'``) gives smaller,
better copies: ``tune=fastdecode`` and B-frames that nothing references, so the reader skips
the unwanted ones.

The copy keeps the video's file name, extension included, so the container is the video's
(annotation and split files stay valid). :data:`CONTAINERS` says what each one holds that
vidreg reads back right; :func:`encoder_settings` picks the codec. The check
(:func:`check_copy`) decodes the copy: it must hold as many frames as the video decodes, its
header must say so (the count training samples from), frames read at random positions by
:class:`~vidreg.pipeline.decoders.PyAVReader` must be the frames decoded in order, and they
must look like the video's (PSNR).
"""
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Literal, Optional

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from vidreg.pipeline.decoders import VideoReadError, build_video_reader
from vidreg.pipeline.resize import Resize
from vidreg.preparation.frame_extraction import FrameCounts, decode_in_order

__all__ = ['Codec', 'CONTAINERS', 'EncoderSettings', 'encoder_settings', 'encode_video',
           'check_copy', 'CopyCheckError', 'output_size']

Codec = Literal['auto', 'libx264', 'mpeg4']
_B_FRAMES = 3  # x264 B-frames in a row (no pyramid: none is a reference, all are skippable)
_MIN_PSNR = 20.0  # dB; a right copy is 35-45 dB from its video, a wrong frame or colour less
_QP2LAMBDA = 118  # FFmpeg's FF_QP2LAMBDA: a quantiser as the encoder's global_quality


@dataclass(frozen=True)
class _Container:
    """What a container (by file extension) holds that vidreg reads back right.

    Attributes:
        muxer: FFmpeg's name of the format.
        codecs: The codecs it may hold, the ``'auto'`` choice first.
        b_frames: It keeps presentation timestamps, so B-frames (decoded out of order) are
            safe. AVI keeps none: :class:`PyAVReader` then decodes every read from the start.
    """

    muxer: str
    codecs: tuple[str, ...]
    b_frames: bool


_MP4 = ('mpeg4', 'libx264')
CONTAINERS = {
    '.mp4': _Container('mp4', _MP4, True), '.m4v': _Container('mp4', _MP4, True),
    '.mov': _Container('mov', _MP4, True), '.3gp': _Container('3gp', _MP4, True),
    '.mkv': _Container('matroska', _MP4, True),
    # H.264 in AVI: PyAVReader reads the frame before the wanted one at random positions (the
    # muxer starts x264's timestamps at 1). MPEG-4 Part 2 is AVI's usual codec (UCF101,
    # HMDB51) and decodes fastest there.
    '.avi': _Container('avi', ('mpeg4',), False),
    '.flv': _Container('flv', ('libx264',), False),  # FLV cannot hold MPEG-4 Part 2
    '.wmv': _Container('asf', _MP4, False),
}
_UNSUPPORTED = {
    '.webm': 'WebM holds only VP8, VP9 and AV1, which are slow to decode',
    '.mpg': 'an MPEG program stream keeps no frame count (readers estimate it)',
    '.mpeg': 'an MPEG program stream keeps no frame count (readers estimate it)',
}


class CopyCheckError(ValueError):
    """The copy differs from its video (frame count, header, random access or content)."""


@dataclass(frozen=True)
class EncoderSettings:
    """How a copy is encoded.

    Attributes:
        codec: FFmpeg's encoder: ``'libx264'`` (H.264) or ``'mpeg4'`` (MPEG-4 Part 2).
        muxer: FFmpeg's container format.
        gop: Frames from one keyframe to the next.
        b_frames: B-frames in a row (0 where the container keeps no presentation timestamps).
        crf: H.264's constant rate factor, 0-51 (lower: better and bigger).
        qscale: MPEG-4's quantiser, 1-31 (lower: better and bigger).
        short_side: Shrink so the shorter side has this many pixels (never enlarge).
    """

    codec: str
    muxer: str
    gop: int
    b_frames: int
    crf: Optional[int] = None
    qscale: Optional[int] = None
    short_side: Optional[int] = None

    def options(self) -> dict:
        """The options that decide the copy, as its record keeps them (command-line names)."""
        quality = dict(crf=self.crf) if self.codec == 'libx264' else dict(qscale=self.qscale)
        return dict(codec=self.codec, gop=self.gop, short_side=self.short_side, **quality)


@lru_cache(maxsize=None)
def _has_encoder(name: str) -> bool:
    try:
        av.codec.Codec(name, 'w')
    except (av.error.FFmpegError, ValueError):  # UnknownCodecError is a ValueError
        return False
    return True


def encoder_settings(extension: str, *, codec: Codec = 'auto', gop: int = 16, crf: int = 18,
                     qscale: int = 3, short_side: Optional[int] = None) -> EncoderSettings:
    """The settings of a copy with this file extension.

    ``'auto'`` picks MPEG-4 Part 2 (the fastest to decode) where the container holds it and
    this FFmpeg has it, else H.264 (libx264): so H.264 only in FLV.

    Raises:
        ValueError: The container cannot hold the codec (or any), or FFmpeg lacks it; the
            message says why and what to do.
    """
    extension = extension.lower()
    if extension in _UNSUPPORTED:
        raise ValueError(f'{extension} videos cannot be prepared keeping their name: '
                         f'{_UNSUPPORTED[extension]}. Convert them to .mp4 (and update the '
                         f'annotation files), or leave them out of the input.')
    container = CONTAINERS.get(extension)
    if container is None:
        raise ValueError(f'{extension} is not a video extension vidreg prepares '
                         f'({", ".join(CONTAINERS)}).')
    if codec == 'auto':
        available = [name for name in container.codecs if _has_encoder(name)]
        if not available:
            raise ValueError(f'this FFmpeg (PyAV {av.__version__}) has no encoder for '
                             f'{extension} ({" or ".join(container.codecs)}).')
        codec = available[0]
    elif codec not in container.codecs:
        why = ' (PyAVReader reads H.264 in AVI one frame off)' if extension == '.avi' else ''
        raise ValueError(f'{extension} files cannot hold {codec}{why}: use --codec '
                         f'{" or ".join(("auto",) + container.codecs)}.')
    elif not _has_encoder(codec):
        raise ValueError(f'this FFmpeg (PyAV {av.__version__}) has no {codec} encoder: use '
                         f'--codec auto.')
    b_frames = _B_FRAMES if codec == 'libx264' and container.b_frames else 0
    return EncoderSettings(codec, container.muxer, gop, b_frames,
                           crf if codec == 'libx264' else None,
                           qscale if codec == 'mpeg4' else None, short_side)


def output_size(height: int, width: int, short_side: Optional[int]) -> tuple[int, int]:
    """The copy's ``(height, width)``: shrunk as ``Resize(short_side=...)`` resizes (never
    enlarged), then each side made even (4:2:0 colour covers 2 x 2 pixels)."""
    if short_side is not None and min(height, width) > short_side:
        height, width = Resize(short_side=short_side).output_hw(height, width)
    return max(2, height - height % 2), max(2, width - width % 2)


def _add_stream(container: av.container.OutputContainer, settings: EncoderSettings,
                rate: Fraction, height: int, width: int, threads: int) -> av.VideoStream:
    if settings.codec == 'libx264':
        options = {'crf': str(settings.crf), 'preset': 'medium', 'tune': 'fastdecode',
                   'x264-params': 'b-pyramid=none'}
    else:
        options = {}
    stream = container.add_stream(settings.codec, rate=rate, options=options)
    stream.width, stream.height, stream.pix_fmt = width, height, 'yuv420p'
    context = stream.codec_context
    context.time_base = 1 / rate
    context.gop_size = settings.gop
    context.max_b_frames = settings.b_frames
    context.thread_count = threads
    if settings.codec == 'mpeg4':  # a fixed quantiser (FFmpeg's -q:v)
        context.qscale = True
        context.qmin = context.qmax = settings.qscale
        context.global_quality = settings.qscale * _QP2LAMBDA
    return stream


def _probe_indices(num_frames: int) -> set[int]:
    """Frames whose pixels the check compares: first, quarters, (later) the last decoded."""
    return {int(num_frames * k / 4) for k in range(4)}


def encode_video(video: str, path: str, settings: EncoderSettings, counts: FrameCounts,
                 threads: int = 0) -> dict[int, np.ndarray]:
    """Write the copy of ``video`` to ``path`` (in the format ``settings.muxer``).

    Every frame that decodes is encoded, at the video's average frame rate, with the
    encoder's own frame types (the video's are not carried over).

    Args:
        video: The source video.
        path: Where the copy goes (any name: the format is given).
        settings: How to encode it.
        counts: Filled with the frames the video's header promises and those that decode.
        threads: FFmpeg threads for decoding and encoding (0: as many as it likes).

    Returns:
        Some frames of the video as the copy was given them, RGB ``(H, W, 3)`` uint8 at the
        copy's size, by frame index: for :func:`check_copy`.

    Raises:
        VideoReadError: The video cannot be decoded, or has no frame rate.
    """
    reformatter = VideoReformatter()  # one for all frames: a new one per frame costs 10x
    probes, probe_at, last = {}, set(), None
    with av.open(path, 'w', format=settings.muxer) as container:
        stream = None
        for index, frame in enumerate(decode_in_order(video, None, counts, threads)):
            if stream is None:
                if not counts.rate:
                    raise VideoReadError(video, 'its stream states no frame rate')
                height, width = output_size(frame.height, frame.width, settings.short_side)
                stream = _add_stream(container, settings, counts.rate.limit_denominator(65535),
                                     height, width, threads)
                probe_at = _probe_indices(counts.header)
            if (frame.height, frame.width, frame.format.name) != (height, width, 'yuv420p'):
                frame = reformatter.reformat(frame, width, height, 'yuv420p',
                                             interpolation='AREA')
            frame.pts, frame.time_base = index, stream.codec_context.time_base
            frame.pict_type = av.video.frame.PictureType.NONE  # else x264 copies the video's
            if index in probe_at:
                probes[index] = frame.to_ndarray(format='rgb24')
            last = index, frame
            container.mux(stream.encode(frame))
        if stream is None:
            raise VideoReadError(video, 'no frame could be decoded')
        container.mux(stream.encode())  # flush the frames the encoder holds
    probes.setdefault(last[0], last[1].to_ndarray(format='rgb24'))
    return {index: rgb for index, rgb in probes.items() if index < counts.decoded}


def _psnr(first: np.ndarray, second: np.ndarray) -> float:
    mse = np.mean((first.astype(np.float64) - second) ** 2)
    return float('inf') if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def check_copy(path: str, num_frames: int, probes: dict[int, np.ndarray]) -> int:
    """Check the copy at ``path`` of a video that decodes ``num_frames`` frames.

    Args:
        path: The copy.
        num_frames: The frames the video decodes.
        probes: Frames of the video as given to the encoder (:func:`encode_video`).

    Returns:
        The frames of the copy (``num_frames``).

    Raises:
        CopyCheckError: The copy decodes another number of frames, its header states another
            count, a frame read at a random position is not the frame decoded in order, or a
            frame is far from the video's (PSNR < 20 dB).
    """
    decoded, in_order = 0, {}
    with av.open(path) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in probes:
                in_order[index] = frame.to_ndarray(format='rgb24')
            decoded += 1
    if decoded != num_frames:
        raise CopyCheckError(f'the copy decodes {decoded} frames, the video {num_frames}')
    with build_video_reader(path, dict(type='PyAVReader')) as reader:
        if reader.total_frames != decoded:
            raise CopyCheckError(f'the header of the copy says {reader.total_frames} frames '
                                 f'but {decoded} decode')
        for index in sorted(probes, reverse=True):  # backwards: every read seeks
            if not np.array_equal(reader.read([index])[0], in_order[index]):
                raise CopyCheckError(f'frame {index} of the copy read at random is not the '
                                     f'frame {index} decoded in order')
    for index, rgb in probes.items():
        psnr = _psnr(rgb, in_order[index])
        if psnr < _MIN_PSNR:
            raise CopyCheckError(f'frame {index} of the copy is far from the video\'s (PSNR '
                                 f'{psnr:.1f} dB)')
    return decoded
