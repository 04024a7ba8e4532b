"""PNG figures of evaluation results, drawn off-screen with matplotlib's Agg canvas."""
import os
from typing import Dict, Optional, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from vidreg.fileio import atomic_path

__all__ = ['save_confusion_matrix_png', 'save_per_class_ap_png', 'save_training_curves_png']


def save_confusion_matrix_png(matrix: np.ndarray, class_names: Sequence[str],
                              path: str | os.PathLike, *, title: Optional[str] = None) -> str:
    """Draw a confusion matrix with annotated counts and row-normalised colours.

    Colours show each row divided by its sum (the recall of each true class), so rare classes are
    as readable as frequent ones; the cell text is the raw count. The figure is built on an Agg
    canvas (no pyplot state, no display needed), saved to a temporary sibling and moved into place
    with ``os.replace``.

    Args:
        matrix: Counts, (K, K), rows = true class, columns = predicted class.
        class_names: K names, in label order.
        path: Output PNG path; missing folders are created.
        title: Figure title; ``None`` shows none.

    Returns:
        The absolute path written.
    """
    matrix = np.asarray(matrix)
    num_classes = len(class_names)
    if matrix.shape != (num_classes, num_classes):
        raise ValueError(f'matrix must be ({num_classes}, {num_classes}) for {num_classes} '
                         f'class names, got {matrix.shape}')
    row_sums = matrix.sum(axis=1, keepdims=True)
    normalised = np.divide(matrix, row_sums, out=np.zeros(matrix.shape, dtype=np.float64),
                           where=row_sums > 0)

    side = min(max(4.0, 0.6 * num_classes + 2.0), 30.0)
    figure = Figure(figsize=(side + 1.0, side))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    image = axes.imshow(normalised, cmap='Blues', vmin=0.0, vmax=1.0)
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label='fraction of true class')
    ticks = np.arange(num_classes)
    axes.set_xticks(ticks, labels=[str(name) for name in class_names], rotation=45, ha='right')
    axes.set_yticks(ticks, labels=[str(name) for name in class_names])
    axes.set_xlabel('predicted')
    axes.set_ylabel('true')
    if title:
        axes.set_title(title)
    if num_classes <= 30:
        font_size = max(5.0, 10.0 - 0.2 * num_classes)
        for row in range(num_classes):
            for col in range(num_classes):
                colour = 'white' if normalised[row, col] > 0.5 else 'black'
                axes.text(col, row, f'{matrix[row, col]:g}', ha='center', va='center',
                          color=colour, fontsize=font_size)
    return _save_png(figure, path)


def save_per_class_ap_png(per_class_ap: Dict[str, float], support: Dict[str, int],
                          path: str | os.PathLike, *, title: Optional[str] = None) -> str:
    """Draw the average precision of each class of a multi-label model as horizontal bars.

    Each bar is labelled with its AP and the number of videos that have the class; a class
    without any (AP undefined) is drawn as an empty row marked ``no positive video``. The mean
    of the defined APs (the mAP) is a dashed line, its value in the title.

    Args:
        per_class_ap: Class name -> AP in [0, 1] (NaN where undefined), in label order.
        support: Class name -> number of videos with the class.
        path: Output PNG path; missing folders are created.
        title: Figure title; ``None`` shows none.

    Returns:
        The absolute path written.
    """
    names = list(per_class_ap)
    values = np.array([per_class_ap[name] for name in names], dtype=np.float64)
    figure = Figure(figsize=(7.0, min(max(2.5, 0.4 * len(names) + 1.5), 30.0)))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = np.arange(len(names))
    axes.barh(rows, np.nan_to_num(values, nan=0.0), color='tab:blue')
    for row, name, value in zip(rows, names, values):
        text = (f'{value:.3f} ({support.get(name, 0)} videos)' if np.isfinite(value)
                else 'no positive video')
        axes.text(min(np.nan_to_num(value, nan=0.0), 0.98) + 0.01, row, text, va='center',
                  fontsize=8, bbox=dict(facecolor='white', edgecolor='none', pad=1))
    heading = title or ''
    if np.isfinite(values).any():
        mean = float(np.nanmean(values))
        axes.axvline(mean, color='black', linestyle='--', linewidth=1)
        heading = f'{heading}: mAP {mean:.3f} (dashed)' if heading else f'mAP {mean:.3f} (dashed)'
    axes.set_yticks(rows, labels=names)
    axes.invert_yaxis()  # class 0 at the top
    axes.set_xlim(0.0, 1.25)  # room for the labels right of a bar of AP 1
    axes.set_xticks(np.linspace(0.0, 1.0, 6))
    axes.set_xlabel('average precision')
    if heading:
        axes.set_title(heading)
    return _save_png(figure, path)


def save_training_curves_png(history: Sequence[Dict[str, float]],
                             path: str | os.PathLike) -> str:
    """Save :func:`training_curves_figure` of ``history`` as a PNG.

    Args:
        history: As for :func:`training_curves_figure`.
        path: Output PNG path; missing folders are created.

    Returns:
        The absolute path written.
    """
    return _save_png(training_curves_figure(history), path)


def training_curves_figure(history: Sequence[Dict[str, float]]) -> Figure:
    """Draw the losses and the validation metrics of a run, per epoch.

    Left: the training loss and every validation loss (``val/loss``, ``val/loss_<term>``),
    so over-fitting shows as the curves parting. Right: the other validation metrics.

    Args:
        history: One dict per epoch: ``epoch``, ``train_loss`` and ``val/<name>`` values
            (validation keys are missing on epochs without validation).

    Returns:
        The figure, on an Agg canvas.
    """
    val_keys = sorted({key for h in history for key in h if key.startswith('val/')})
    loss_keys = [key for key in val_keys if key[len('val/'):].startswith('loss')]
    figure = Figure(figsize=(10, 4))
    FigureCanvasAgg(figure)
    loss_axes, metric_axes = figure.subplots(1, 2)
    for axes, keys in ((loss_axes, ['train_loss'] + loss_keys),
                       (metric_axes, [key for key in val_keys if key not in loss_keys])):
        for key in keys:
            points = [(h['epoch'], h[key]) for h in history if key in h]
            if points:
                axes.plot(*zip(*points), marker='o', label=key)
        if axes.get_lines():
            axes.legend()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_axes.set(title='loss', xlabel='epoch')
    metric_axes.set(title='validation', xlabel='epoch')
    return figure


def _save_png(figure: Figure, path: str | os.PathLike) -> str:
    """Lay out ``figure`` and save it to a temporary sibling, then move it onto ``path``."""
    figure.tight_layout()
    path = os.path.abspath(os.fspath(path))
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format='png', dpi=100)
    return path
