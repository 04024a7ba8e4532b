"""Write a copy of a video with the current prediction drawn on every frame."""
import os.path as osp
from fractions import Fraction
from typing import Sequence

import av
import cv2
import numpy as np

from vidreg.fileio import atomic_path

from .prediction import Prediction

__all__ = ['write_annotated_video', 'ANNOTATED_VIDEO_EXTENSIONS']

ANNOTATED_VIDEO_EXTENSIONS = ('.mp4', '.gif')


def _draw(frame: np.ndarray, text: str) -> np.ndarray:
    """Draw ``text`` on a dark band at the top of an RGB ``(H, W, 3)`` frame (in place)."""
    height, width = frame.shape[:2]
    scale = max(0.35, min(width, height) / 400)
    thickness = max(1, round(scale * 2))
    (_, text_h), baseline = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    band = text_h + baseline + 8
    frame[:band] = (frame[:band] * 0.35).astype(np.uint8)
    cv2.putText(frame, text, (4, band - baseline - 3), cv2.FONT_HERSHEY_SIMPLEX, scale,
                (255, 255, 255), thickness, cv2.LINE_AA)
    return frame


def write_annotated_video(video: str, predictions: Sequence[Prediction], out_file: str) -> str:
    """Re-encode ``video`` with the prediction current at each frame drawn on it.

    For windows, a frame shows the window whose centre is nearest to it (windows
    overlap, so the label changes once per stride); a whole-video prediction is
    drawn on every frame. Frames are decoded, drawn and encoded one at a time,
    so memory does not grow with the video. The file appears only when complete.

    Args:
        video: A video file PyAV reads.
        predictions: One whole-video prediction, or the windows of this video in time order.
        out_file: ``.mp4`` (H.264, or MPEG-4 Part 2 if libx264 is missing) or ``.gif``.

    Returns:
        ``out_file``.
    """
    ext = osp.splitext(out_file)[1].lower()
    if ext not in ANNOTATED_VIDEO_EXTENSIONS:
        raise ValueError(f'an annotated video must end in .mp4 or .gif, got {out_file!r}')
    if osp.isdir(video):
        raise ValueError(f'{video!r} is a frame folder; annotated output needs a video file')
    centres = np.array([((p.start or 0.0) + (p.end or 0.0)) / 2 for p in predictions])
    with atomic_path(out_file) as tmp, av.open(video) as source, \
            av.open(tmp, 'w', format=ext[1:]) as target:
        stream_in = source.streams.video[0]
        rate = stream_in.average_rate or Fraction(25)
        width, height = stream_in.codec_context.width, stream_in.codec_context.height
        width, height = width - width % 2, height - height % 2  # yuv420p needs even sides
        if ext == '.gif':
            stream = target.add_stream('gif', rate=rate)
            stream.pix_fmt = 'rgb8'
        else:
            codec = 'libx264' if 'libx264' in av.codecs_available else 'mpeg4'
            stream = target.add_stream(codec, rate=rate)
            stream.pix_fmt = 'yuv420p'
        stream.width, stream.height = width, height
        for index, frame in enumerate(source.decode(stream_in)):
            seconds = float(frame.time) if frame.time is not None else index / float(rate)
            current = predictions[int(np.abs(centres - seconds).argmin())]
            image = np.ascontiguousarray(frame.to_ndarray(format='rgb24')[:height, :width])
            out = av.VideoFrame.from_ndarray(_draw(image, current.summary), format='rgb24')
            for packet in stream.encode(out.reformat(format=stream.pix_fmt)):
                target.mux(packet)
        for packet in stream.encode():
            target.mux(packet)
    return out_file
