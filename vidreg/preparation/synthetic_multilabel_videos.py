"""Synthetic multi-label videos: several independent things in one clip, each present or not.

Each video holds any subset of the things below, each present with probability 0.5 on its own,
so a video may have none, one or all of them (its label lists those present, ``0;2``):

| label | class          | what is seen                                                   |
| ----- | -------------- | -------------------------------------------------------------- |
| 0     | red_disc       | a red disc drifting slowly                                     |
| 1     | green_square   | a green square drifting slowly                                 |
| 2     | blue_bar       | a blue bar at a random angle, turning slowly                   |
| 3     | brighten       | the whole frame brightens over the video (else its gain stays) |

The first three are visible in any single frame; ``brighten`` only in the change over time
(a video without it has a constant gain drawn from the same range, so one frame does not
tell reliably). :func:`vidreg.preparation.synthetic_videos.generate_synthetic_dataset` with
``multilabel=True`` writes them (cached, atomically, like the single-label set).
"""
import math

import numpy as np

__all__ = ['MULTILABEL_CLASS_NAMES', 'render_multilabel_video']

MULTILABEL_CLASS_NAMES = ('red_disc', 'green_square', 'blue_bar', 'brighten')
_COLOURS = {'red_disc': (220, 40, 40), 'green_square': (40, 200, 60),
            'blue_bar': (50, 80, 230)}
# Corners of the frame an object is placed around (fractions of W, H), one per object.
_SLOTS = ((0.3, 0.3), (0.7, 0.3), (0.3, 0.7), (0.7, 0.7))


def render_multilabel_video(present: np.ndarray, rng: np.random.Generator, *, num_frames: int,
                            size: tuple[int, int]) -> np.ndarray:
    """Render one video showing the classes marked in ``present``.

    Args:
        present: K booleans, K <= 4, in the order of :data:`MULTILABEL_CLASS_NAMES`.
        rng: The video's generator (positions, colours, gains, noise).
        num_frames: T.
        size: (H, W) in pixels.

    Returns:
        RGB frames, uint8 (T, H, W, 3).
    """
    from .synthetic_videos import _superellipse  # the anti-aliased shape of the other set

    height, width = size
    short = min(height, width)
    names = MULTILABEL_CLASS_NAMES[:len(present)]
    background = rng.uniform(60, 130) + rng.uniform(-10, 10, 3) + rng.normal(
        0.0, 4.0, (height, width, 3))  # (H, W, 3), low saturation
    grid = tuple(np.mgrid[0:height, 0:width].astype(np.float64) + 0.5)  # y, x
    slots = rng.permutation(len(_SLOTS))
    objects = []  # (colour, centre0, drift, axes, exponent, angle0, turn)
    for index, name in enumerate(names[:3]):
        slot = np.array(_SLOTS[slots[index]]) + rng.uniform(-0.06, 0.06, 2)
        centre0 = slot * (width, height)
        heading = rng.uniform(0, 2 * math.pi)
        drift = rng.uniform(0, 0.08 * short) * np.array([math.cos(heading), math.sin(heading)])
        if name == 'blue_bar':
            axes, exponent = (short * 0.2, short * 0.05), 12.0
        else:
            radius = short * rng.uniform(0.1, 0.14)
            axes, exponent = (radius, radius), 2.0 if name == 'red_disc' else 12.0
        objects.append((present[index], np.array(_COLOURS[name], np.float64), centre0, drift,
                        axes, exponent, rng.uniform(0, math.pi), rng.uniform(-0.3, 0.3)))
    brighten = len(names) > 3 and bool(present[3])
    # Without brighten the gain is constant over the range a brightening video spans.
    gain0 = rng.uniform(0.45, 0.65) if brighten else rng.uniform(0.45, 1.1)
    rise = rng.uniform(0.35, 0.5) if brighten else 0.0
    frames = np.empty((num_frames, height, width, 3), np.uint8)
    for t in range(num_frames):
        progress = t / max(num_frames - 1, 1)
        frame = background.copy()
        for shown, colour, centre0, drift, axes, exponent, angle0, turn in objects:
            if not shown:
                continue
            alpha = _superellipse(grid, centre=centre0 + drift * progress, axes=axes,
                                  exponent=exponent, angle=angle0 + turn * progress)[..., None]
            frame = frame * (1 - alpha) + colour * alpha
        frame = frame * (gain0 + rise * progress) + rng.normal(0.0, 2.0, frame.shape)
        frames[t] = np.clip(frame, 0, 255).round().astype(np.uint8)
    return frames
