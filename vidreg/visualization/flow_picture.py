"""A picture of one frame beside its optical flow by each method, colour-coded.

The flow is computed the way the OpticalFlow transform computes it
(:func:`vidreg.pipeline.flow.flow_function`), between frame N and frame N + gap, on
grayscale frames resized to a short side. Colours: direction is hue (rightwards red, leftwards
cyan), speed is brightness (the fastest pixel of each panel is the brightest); still pixels are
black. ``tools/visualize_flow.py`` is the command line.
"""
import os.path as osp
from typing import Sequence

import cv2
import numpy as np

from vidreg.fileio import atomic_open
from vidreg.pipeline.decoders import PyAVReader
from vidreg.pipeline.flow import flow_function

from .flow_colors import flow_to_rgb

__all__ = ['METHODS', 'flow_picture', 'save_flow_picture']

METHODS = ('dis:fast', 'dis:medium', 'farneback')


def _label(image: np.ndarray, text: str) -> np.ndarray:
    image = image.copy()
    cv2.putText(image, text, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2,
                cv2.LINE_AA)
    return image


def flow_picture(video: str, *, frame: int = 60, gap: int = 2,
                 methods: Sequence[str] = METHODS, short_side: int = 256) -> np.ndarray:
    """Frame ``frame`` and the flow to frame ``frame + gap`` by each method, two panels a row.

    Args:
        video: A video file.
        frame: The first frame of the pair.
        gap: Frames between the two of the pair.
        methods: ``'dis:<ultrafast|fast|medium>'`` or ``'farneback'``; the mean flow and the
            largest speed of each are printed.
        short_side: The panels' shorter side, in pixels.

    Returns:
        The picture, RGB uint8 ``(rows * h, 2 * w, 3)``.

    Raises:
        ValueError: The pair lies outside the video, or a method is unknown.
    """
    with PyAVReader(video) as reader:
        if not 0 <= frame < frame + gap < reader.total_frames:
            raise ValueError(f'{video!r} has {reader.total_frames} frames; --frame {frame} and '
                             f'--gap {gap} must stay inside it.')
        frames = reader.read(np.array([frame, frame + gap]))  # (2, H, W, 3) RGB
    height, width = frames.shape[1:3]
    scale = short_side / min(height, width)
    size = (round(width * scale), round(height * scale))
    rgb = [cv2.resize(image, size, interpolation=cv2.INTER_AREA) for image in frames]
    gray = [cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) for image in rgb]
    panels = [_label(rgb[0], f'frame {frame}')]
    for spec in methods:
        method, _, preset = spec.partition(':')
        if method not in ('dis', 'farneback'):
            raise ValueError(f"--methods: {spec!r} is not 'dis:<preset>' or 'farneback'")
        flow = flow_function(method, preset or 'fast')(*gray)  # (H, W, 2)
        speed = np.linalg.norm(flow, axis=2)
        print(f'{spec}: mean x {flow[..., 0].mean():+.2f} px, mean y {flow[..., 1].mean():+.2f} '
              f'px, largest speed {speed.max():.1f} px')
        panels.append(_label(flow_to_rgb(flow), spec))
    if len(panels) % 2:
        panels.append(np.zeros_like(panels[0]))
    rows = [np.concatenate(panels[i:i + 2], axis=1) for i in range(0, len(panels), 2)]
    return np.concatenate(rows, axis=0)


def save_flow_picture(video: str, out: str, **options) -> str:
    """Write :func:`flow_picture` of ``video`` (``options``: its keywords) to the PNG ``out``,
    atomically; print and return its absolute path."""
    picture = flow_picture(video, **options)
    ok, png = cv2.imencode('.png', cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    if not ok:
        raise ValueError(f'could not encode the {picture.shape} picture as PNG')
    with atomic_open(out, 'wb') as f:
        f.write(png.tobytes())
    print(f'flow picture: {osp.abspath(out)}')
    return osp.abspath(out)
