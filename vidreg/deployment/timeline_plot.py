"""PNG of window predictions over time (class probabilities or regression values)."""
import os.path as osp
from typing import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from vidreg.fileio import atomic_path

from .prediction import Prediction

__all__ = ['save_timeline_png']


def save_timeline_png(windows: Sequence[Prediction], path: str, *, max_lines: int = 10) -> str:
    """Plot each window's values at its centre time, one line per class or output.

    With more than ``max_lines`` classes only those that reach the highest
    probability in some window are drawn. The figure is written to a temporary
    sibling and moved into place.

    Args:
        windows: Predictions of one video's windows, in time order.
        path: Output PNG path.
        max_lines: Most lines drawn.

    Returns:
        The path written.
    """
    if not windows:
        raise ValueError('no window to plot')
    times = np.array([(w.start + w.end) / 2 for w in windows])
    values = np.stack([w.values for w in windows])  # (N, K)
    names = windows[0].names
    order = np.argsort(-values.max(axis=0), kind='stable')[:max_lines]
    figure = Figure(figsize=(9, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for k in order:
        axes.plot(times, values[:, k], marker='o', markersize=3, label=names[k])
    classification = windows[0].task != 'regression'  # probabilities (multi-label too)
    axes.set_xlabel('time (s, window centre)')
    axes.set_ylabel('probability' if classification else 'predicted value')
    if classification:
        axes.set_ylim(0, 1)
    span = windows[0].end - windows[0].start
    axes.set_title(f'{osp.basename(windows[0].path)}: {span:.1f} s windows')
    axes.grid(alpha=0.3)
    axes.legend(loc='upper left', bbox_to_anchor=(1.01, 1.0), fontsize=8)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format='png')
    return path
