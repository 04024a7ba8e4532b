"""Deterministic synthetic videos whose classes differ only in temporal order.

Classes come in reversal pairs: a clip of the second class of a pair is, by construction, a clip
of the first class played backwards (``shrink`` is ``grow`` reversed). Both classes of a pair are
rendered from "forward" trajectories with the same parameter distribution, and the second class
reverses the frame order. So the two classes have exactly the same distribution of single frames,
of first frames and of last frames: a model that ignores frame order cannot beat chance within a
pair (at best 50% overall, since the pairs differ in what changes). The changing attribute is one
a per-frame 2D CNN with global average pooling can see (size, brightness, bar orientation, corner
sharpness), never position alone (SPEC §8).

| labels | classes                            | attribute, increasing in the first class   |
| ------ | ---------------------------------- | ------------------------------------------ |
| 0, 1   | grow, shrink                       | object radius, 0.08-0.32 of min(H, W)      |
| 2, 3   | brighten, darken                   | whole-frame gain, 0.25-1.0                 |
| 4, 5   | rotate_cw, rotate_ccw              | bar angle, 0 (horizontal) to 90 degrees    |
| 6, 7   | square_to_circle, circle_to_square | roundness (superellipse exponent 10 -> 2)  |

Each video covers a random fraction ``m`` in [0.6, 1.0] of its attribute's range; the regression
target is ``+m`` for the first class of a pair and ``-m`` for the second: the signed total change
over the whole video, in [-1, 1], which a sampler covering the whole video can see. Also random
per video: object and background colours, background texture, position and slow drift, start
value, object shape (circle or rounded square), static gain, per-frame noise (i.i.d.) and the
number of frames.

Videos are Motion-JPEG in AVI: intra-only, so every frame is encoded alone, reversal leaves no
compression cue, any frame seeks cheaply, and OpenCV and PyAV decode the same pixels.
"""
import csv
import json
import math
import os
import shutil
import uuid
from pathlib import Path

import cv2
import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vidreg.datasets.base_video_dataset import DatasetError

from .synthetic_multilabel_videos import MULTILABEL_CLASS_NAMES, render_multilabel_video

__all__ = ['CLASS_NAMES', 'generate_synthetic_dataset']

_PAIRS = (('grow', 'shrink'), ('brighten', 'darken'), ('rotate_cw', 'rotate_ccw'),
          ('square_to_circle', 'circle_to_square'))
CLASS_NAMES = tuple(name for pair in _PAIRS for name in pair)
_SPLITS = ('train', 'val', 'test')
_GENERATOR = 'vidreg.datasets.synthetic_videos'  # its first home: kept, so caches stay valid
_VERSION = 4  # bump when the rendering changes, so cached datasets are rebuilt
# Smallest covered fraction of an attribute's range: large enough that a CNN trained from
# scratch on CPU for a few minutes sees the change (0.3 needed ~10x more training).
_MIN_MAGNITUDE = 0.6


def _superellipse(grid: tuple[np.ndarray, np.ndarray], *, centre: np.ndarray, axes: tuple,
                  exponent: float, angle: float) -> np.ndarray:
    """Anti-aliased coverage (H, W) in [0, 1] of a rotated superellipse.

    ``axes`` are the semi-axes in pixels; exponent 2 is an ellipse, large exponents a rectangle.
    Angles grow clockwise on screen (image y points down).
    """
    dx, dy = grid[1] - centre[0], grid[0] - centre[1]
    u = dx * math.cos(angle) + dy * math.sin(angle)
    v = -dx * math.sin(angle) + dy * math.cos(angle)
    power = (np.abs(u) / axes[0]) ** exponent + (np.abs(v) / axes[1]) ** exponent
    level = power ** (1 / exponent)  # 1 on the boundary
    return np.clip(0.5 - (level - 1.0) * min(axes), 0.0, 1.0)


def _superellipse_area(exponent: float) -> float:
    """Area of the unit superellipse ``|x|^n + |y|^n <= 1``."""
    return 4 * math.gamma(1 + 1 / exponent) ** 2 / math.gamma(1 + 2 / exponent)


def _render_forward(pair: int, rng: np.random.Generator, *, num_frames: int,
                    size: tuple[int, int]) -> tuple[np.ndarray, float]:
    """Render the first class of ``pair`` (the attribute increases).

    Returns:
        RGB frames, uint8 (T, H, W, 3), and the covered fraction ``m`` of the attribute's range.
    """
    height, width = size
    short = min(height, width)
    magnitude = round(float(rng.uniform(_MIN_MAGNITUDE, 1.0)), 3)
    start = rng.uniform(0.0, 1.0 - magnitude)
    progress = start + magnitude * np.linspace(0.0, 1.0, num_frames)  # (T,) in [0, 1]

    # A light object on a darker background: a change of the object then moves every
    # brightness-like feature the same way whatever the colours, which a CNN trained from
    # scratch picks up in minutes (random polarity needed ~10x longer).
    background_colour = rng.uniform(10, 110, 3)
    colour = np.clip(background_colour + rng.uniform(110, 200) + rng.uniform(-30, 30, 3), 0, 255)
    coarse = rng.normal(0.0, rng.uniform(4, 14), (max(height // 8, 2), max(width // 8, 2), 3))
    texture = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    background = background_colour + texture + rng.normal(0.0, 3.0, (height, width, 3))

    grid = np.mgrid[0:height, 0:width].astype(np.float64) + 0.5  # (2, H, W): y, x
    centre0 = rng.uniform(0.38, 0.62, 2) * (width, height)
    heading = rng.uniform(0, 2 * math.pi)
    drift = rng.uniform(0, 0.08 * short) * np.array([math.cos(heading), math.sin(heading)])
    angle0 = rng.uniform(0, math.pi)
    exponent0 = float(rng.choice([2.0, 6.0]))
    radius0 = short * rng.uniform(0.15, 0.25)
    gain0 = rng.uniform(0.7, 1.0)
    bar_axes = (short * rng.uniform(0.25, 0.32), short * rng.uniform(0.05, 0.08))

    frames = np.empty((num_frames, height, width, 3), np.uint8)
    for t, p in enumerate(progress):
        centre = centre0 + drift * t / max(num_frames - 1, 1)
        axes, exponent, angle, gain = (radius0, radius0), exponent0, angle0, gain0
        if pair == 0:  # grow
            axes = (short * (0.08 + 0.24 * p),) * 2
        elif pair == 1:  # brighten
            gain = 0.25 + 0.75 * p
        elif pair == 2:  # rotate clockwise
            # Clockwise within one quadrant, from horizontal toward vertical: the balance of
            # horizontal and vertical edges then changes monotonically (a random start angle
            # over a wider range makes the relation cyclic, and slow to learn from scratch).
            axes, exponent, angle = bar_axes, 12.0, p * math.pi / 2
        else:  # square to circle, constant area
            exponent = math.exp(math.log(10.0) + p * (math.log(2.0) - math.log(10.0)))
            radius = short * 0.22 * math.sqrt(math.pi / _superellipse_area(exponent))
            axes = (radius, radius)
        alpha = _superellipse(tuple(grid), centre=centre, axes=axes, exponent=exponent,
                              angle=angle)[..., None]
        frame = (background * (1 - alpha) + colour * alpha) * gain
        frame += rng.normal(0.0, 2.0, frame.shape)
        frames[t] = np.clip(frame, 0, 255).round().astype(np.uint8)
    return frames, magnitude


def _write_video(path: Path, frames: np.ndarray, fps: float) -> None:
    """Write RGB frames (T, H, W, 3) as Motion-JPEG AVI."""
    height, width = frames.shape[1:3]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'MJPG'), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f'OpenCV cannot open a MJPG writer for {path}')
    try:
        for frame in frames:
            writer.write(np.ascontiguousarray(frame[..., ::-1]))  # RGB -> BGR
    finally:
        writer.release()


def _write_csv(path: Path, rows: list[tuple[str, object]]) -> None:
    with open(path, 'w', newline='') as file:
        writer = csv.writer(file, lineterminator='\n')
        writer.writerow(('path', 'label'))
        writer.writerows(rows)


def _read_meta(root: Path) -> dict | None:
    try:
        return json.loads((root / 'meta.json').read_text())
    except (OSError, ValueError):
        return None


def _outputs(root: Path, multilabel: bool = False) -> dict[str, str]:
    names = {split: f'{split}.csv' for split in _SPLITS}
    if not multilabel:
        names.update({f'{split}_regression': f'{split}_regression.csv' for split in _SPLITS})
    names['classes'] = 'classes.txt'
    return {key: str(root / name) for key, name in names.items()}


def _is_complete(root: Path, args: dict) -> bool:
    meta = _read_meta(root)
    return (meta is not None and meta.get('generator') == _GENERATOR
            and meta.get('version') == _VERSION and meta.get('args') == args
            and all(os.path.isfile(path) for path in
                    _outputs(root, args.get('multilabel', False)).values()))


def _build(tmp: Path, args: dict, progress: bool) -> None:
    """Render every video and annotation file of the dataset into ``tmp``."""
    multilabel = args.get('multilabel', False)
    classes = (MULTILABEL_CLASS_NAMES if multilabel else CLASS_NAMES)[:args['num_classes']]
    (tmp / 'classes.txt').write_text(''.join(f'{name}\n' for name in classes))
    lo, hi = args['num_frames_range']
    total = args['num_classes'] * sum(args['videos_per_class'])
    columns = (TextColumn('{task.description}'), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, disable=not progress, transient=True) as bar:
        task = bar.add_task('synthetic videos', total=total)
        for split_idx, (split, count) in enumerate(zip(_SPLITS, args['videos_per_class'])):
            if multilabel:
                _build_multilabel_split(tmp, args, split_idx, count * len(classes),
                                        lambda: bar.advance(task))
                continue
            cls_rows, reg_rows = [], []
            for label, name in enumerate(classes):
                folder = tmp / 'videos' / split / name
                folder.mkdir(parents=True)
                for video_idx in range(count):
                    rng = np.random.default_rng([args['seed'], split_idx, label, video_idx])
                    num_frames = int(rng.integers(lo, hi + 1))
                    frames, magnitude = _render_forward(label // 2, rng, num_frames=num_frames,
                                                        size=tuple(args['size']))
                    if label % 2:  # the second class of a pair is the first one played backwards
                        frames, magnitude = frames[::-1], -magnitude
                    rel = f'videos/{split}/{name}/{name}_{video_idx:04d}.avi'
                    _write_video(tmp / rel, frames, args['fps'])
                    cls_rows.append((rel, label))
                    reg_rows.append((rel, f'{magnitude:.3f}'))
                    bar.advance(task)
            _write_csv(tmp / f'{split}.csv', cls_rows)
            _write_csv(tmp / f'{split}_regression.csv', reg_rows)
    meta = dict(generator=_GENERATOR, version=_VERSION, args=args, classes=list(classes))
    (tmp / 'meta.json').write_text(json.dumps(meta, indent=2) + '\n')  # written last


def _build_multilabel_split(tmp: Path, args: dict, split_idx: int, count: int,
                            advance) -> None:
    """Render ``count`` multi-label videos of one split and write its ``path,label`` CSV
    (``;``-separated indices of the classes present, empty for none)."""
    split, (lo, hi) = _SPLITS[split_idx], args['num_frames_range']
    folder = tmp / 'videos' / split
    folder.mkdir(parents=True)
    rows = []
    for video_idx in range(count):
        rng = np.random.default_rng([args['seed'], split_idx, video_idx, 1])
        present = rng.random(args['num_classes']) < 0.5  # (K,) each thing on its own
        frames = render_multilabel_video(present, rng, num_frames=int(rng.integers(lo, hi + 1)),
                                         size=tuple(args['size']))
        rel = f'videos/{split}/video_{video_idx:04d}.avi'
        _write_video(tmp / rel, frames, args['fps'])
        rows.append((rel, ';'.join(str(k) for k in np.flatnonzero(present))))
        advance()
    _write_csv(tmp / f'{split}.csv', rows)


def generate_synthetic_dataset(root: str | os.PathLike, *, num_classes: int = 6,
                               videos_per_class: tuple[int, int, int] = (40, 10, 10),
                               num_frames_range: tuple[int, int] = (20, 40),
                               size: tuple[int, int] = (64, 64), fps: float = 10,
                               seed: int = 0, progress: bool = True,
                               multilabel: bool = False) -> dict[str, str]:
    """Write (or reuse) a synthetic order-dependent video dataset under ``root``.

    Layout: ``root/videos/<split>/<class>/<class>_<i>.avi``; ``root/<split>.csv`` (``path,label``
    with integer classes), ``root/<split>_regression.csv`` (``path,label`` with the signed change
    in [-1, 1]); paths are relative to ``root``; ``root/classes.txt`` (one name per line, in label
    order) and ``root/meta.json`` (the arguments), for ``split`` in train, val, test.

    The function is its own cache: when ``root`` already holds a complete dataset made with the
    same arguments (and generator version) it returns at once. A previous synthetic dataset made
    with other arguments is replaced; any other non-empty folder is left alone and an error is
    raised. The dataset is built in a hidden sibling folder and renamed into place, so ``root``
    never holds a partial dataset; the temporary folder is removed if generation fails.

    Every video is seeded from ``(seed, split, class, index)``, so the same arguments give the
    same pixels, and a video does not change when ``videos_per_class`` grows.

    Args:
        root: Dataset folder.
        num_classes: 2, 4, 6 or 8 (1, 2, 3 or 4 reversal pairs, in the order of ``CLASS_NAMES``).
        videos_per_class: Videos per class in the train, val and test splits.
        num_frames_range: Inclusive range of the number of frames per video (at least 2).
        size: Frame size (H, W) in pixels, each even (the MJPG writer crops odd sizes) and
            at least 16.
        fps: Frame rate written in the container.
        seed: Base random seed.
        progress: Show a rich progress bar while generating.
        multilabel: Write the multi-label set of
            :mod:`vidreg.preparation.synthetic_multilabel_videos` instead: ``num_classes``
            (1-4) independent things, ``num_classes * videos_per_class[i]`` videos in split
            i under ``videos/<split>/``, ``<split>.csv`` labels ``;``-separated class indices
            (no regression CSVs). It needs a ``root`` of its own.

    Returns:
        Absolute paths keyed ``train``, ``val``, ``test``, ``train_regression``,
        ``val_regression``, ``test_regression`` and ``classes``.
    """
    if multilabel and not 1 <= num_classes <= len(MULTILABEL_CLASS_NAMES):
        raise ValueError(f'a multi-label set has 1 to {len(MULTILABEL_CLASS_NAMES)} classes, '
                         f'got {num_classes}')
    if not multilabel and num_classes not in (2, 4, 6, 8):
        raise ValueError(f'num_classes must be 2, 4, 6 or 8, got {num_classes}')
    if len(videos_per_class) != 3 or min(videos_per_class) < 0:
        raise ValueError(f'videos_per_class must be 3 counts >= 0, got {videos_per_class}')
    lo, hi = num_frames_range
    if not 2 <= lo <= hi:
        raise ValueError(f'num_frames_range must satisfy 2 <= lo <= hi, got {num_frames_range}')
    if len(size) != 2 or min(size) < 16 or size[0] % 2 or size[1] % 2:
        raise ValueError(f'size must be (H, W), both even and >= 16, got {size}')
    if fps <= 0:
        raise ValueError(f'fps must be positive, got {fps}')
    args = dict(num_classes=int(num_classes), videos_per_class=[int(n) for n in videos_per_class],
                num_frames_range=[int(lo), int(hi)], size=[int(n) for n in size],
                fps=float(fps), seed=int(seed))
    if multilabel:
        args['multilabel'] = True  # absent otherwise, so single-label caches stay valid
    root = Path(root).absolute()
    if _is_complete(root, args):
        return _outputs(root, multilabel)
    ours = (_read_meta(root) or {}).get('generator') == _GENERATOR
    if root.exists() and any(root.iterdir()) and not ours:
        raise FileExistsError(f'{root} is not empty and holds no synthetic dataset; '
                              'refusing to overwrite it')

    tmp = root.parent / f'.{root.name}.tmp-{uuid.uuid4().hex[:8]}'
    old = root.parent / f'.{root.name}.old-{uuid.uuid4().hex[:8]}'
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
    except OSError as error:
        raise DatasetError(
            f'cannot generate the synthetic dataset into {str(root)!r}: {error.strerror} '
            f'({error.filename}). Its folder must be writable (the videos are generated there '
            f'on first use): set data_root to a writable folder, e.g. --cfg-options '
            f'data_root=/tmp/synthetic.') from error
    try:
        _build(tmp, args, progress)
        if _is_complete(root, args):  # another process finished first
            return _outputs(root, multilabel)
        if root.exists():
            os.rename(root, old)  # a stale synthetic dataset or an empty folder
        try:
            os.rename(tmp, root)
        except OSError:
            if not _is_complete(root, args):  # another process may have won the race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return _outputs(root, multilabel)
