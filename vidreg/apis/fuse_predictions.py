"""Late fusion of dumped predictions: the weighted average of separately trained streams' scores.

Each file is ``tools/test.py --dump``'s classification table (``path,label,pred,score_<class>...``,
one row per video, scores averaged over its clips). The fused scores are the weighted average of
the streams' scores, the same fusion as ``LateFusionHead(mode='average')``.
``tools/fuse_predictions.py`` is the command line.
"""
import csv
import io
import os
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
from rich.console import Console
from rich.table import Table

from vidreg.datasets import DatasetError
from vidreg.datasets.group_split import write_text_atomic

__all__ = ['Predictions', 'FusedPredictions', 'read_predictions', 'fuse_predictions',
           'fuse_prediction_files']


class Predictions(NamedTuple):
    """One ``--dump`` file: its score columns and ``{path: (label, scores (K,))}``."""

    columns: List[str]
    rows: Dict[str, Tuple[int, np.ndarray]]


class FusedPredictions(NamedTuple):
    """The videos every input shares, in the first input's order."""

    paths: List[str]  # (M,)
    labels: np.ndarray  # (M,) class indices
    fused: np.ndarray  # (M, K) weighted average of the inputs' scores
    scores: List[np.ndarray]  # per input, (M, K)


def read_predictions(path: str) -> Predictions:
    """Read a ``tools/test.py --dump`` classification CSV.

    Raises:
        FileNotFoundError: There is no such file.
        DatasetError: It is not such a table (the file and line are named).
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{path}: no such predictions file (write one with '
                                f'tools/test.py CONFIG CKPT --dump {path})')
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or header[:3] != ['path', 'label', 'pred'] or len(header) < 4:
            raise DatasetError(f'{path}: expected the header path,label,pred,score_<class>... of '
                               f'tools/test.py --dump (classification), got {header}')
        rows = {}
        for line, row in enumerate(reader, start=2):
            try:
                rows[row[0]] = (int(row[1]), np.array(row[3:], dtype=np.float64))
            except (ValueError, IndexError) as error:
                raise DatasetError(f'{path}, line {line}: cannot read {row!r} ({error}); each '
                                   f'row is path,label,pred and {len(header) - 3} '
                                   f'scores.') from None
            if len(rows[row[0]][1]) != len(header) - 3:
                raise DatasetError(f'{path}, line {line}: {len(row) - 3} scores, the header '
                                   f'names {len(header) - 3}.')
    return Predictions(header[3:], rows)


def _check_weights(weights: Sequence[float], count: int) -> None:
    if len(weights) != count or min(weights) < 0 or sum(weights) <= 0:
        raise DatasetError(f'--weights: give {count} non-negative numbers with a positive sum '
                           f'(one per file), got {list(weights)}')


def fuse_predictions(tables: Sequence[Predictions], weights: Sequence[float],
                     names: Sequence[str]) -> FusedPredictions:
    """The weighted average of the tables' scores over the videos they share.

    Args:
        tables: The inputs (:func:`read_predictions`).
        weights: One non-negative weight per table, with a positive sum.
        names: The tables' files, for messages.

    Raises:
        DatasetError: The tables name other classes, share no video or disagree on a label;
            the weights are not one non-negative number per table with a positive sum.
    """
    _check_weights(weights, len(tables))
    first = tables[0]
    for other, name in zip(tables[1:], names[1:]):
        if other.columns != first.columns:
            raise DatasetError(f'{name} has the score columns {other.columns[:3]}..., '
                               f'{names[0]} has {first.columns[:3]}...: the streams must predict '
                               f'the same classes.')
    paths = [p for p in first.rows if all(p in table.rows for table in tables[1:])]
    if not paths:
        raise DatasetError(f'{", ".join(names)} share no video path: dump the same split.')
    labels = np.array([first.rows[p][0] for p in paths])
    for table, name in zip(tables[1:], names[1:]):
        wrong = [p for p in paths if table.rows[p][0] != first.rows[p][0]]
        if wrong:
            raise DatasetError(f'{name} labels {wrong[0]!r} {table.rows[wrong[0]][0]}, '
                               f'{names[0]} {first.rows[wrong[0]][0]}: not the same '
                               f'annotations.')
    scores = [np.stack([table.rows[p][1] for p in paths]) for table in tables]
    fused = sum(w * s for w, s in zip(weights, scores)) / sum(weights)
    return FusedPredictions(paths, labels, fused, scores)


def _write_fused(path: str, columns: Sequence[str], fused: FusedPredictions) -> None:
    """The fused table in the ``--dump`` layout, written atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(['path', 'label', 'pred', *columns])
    for video, label, row in zip(fused.paths, fused.labels, fused.fused):
        writer.writerow([video, int(label), int(row.argmax()), *(f'{v:.6g}' for v in row)])
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_text_atomic(path, buffer.getvalue())


def fuse_prediction_files(files: Sequence[str], weights: Optional[Sequence[float]] = None,
                          out: Optional[str] = None,
                          console: Optional[Console] = None) -> FusedPredictions:
    """Fuse ``--dump`` files, print the top-1 accuracy of each and of the fusion, and write the
    fused table to ``out`` (same layout) when given.

    Args:
        files: CSV files of ``tools/test.py --dump``.
        weights: One per file (default: equal), e.g. ``(1, 1.5)`` for RGB, flow.
        out: Where the fused predictions go.
        console: Where the table goes (default: the terminal).

    Raises:
        FileNotFoundError, DatasetError: See :func:`read_predictions` and
            :func:`fuse_predictions`.
    """
    weights = list(weights or [1.0] * len(files))
    _check_weights(weights, len(files))  # before reading anything
    tables = [read_predictions(path) for path in files]
    fused = fuse_predictions(tables, weights, files)
    table = Table(title=f'top-1 over {len(fused.paths)} videos')
    table.add_column('predictions')
    table.add_column('weight', justify='right')
    table.add_column('top-1', justify='right')
    for path, weight, score in zip(files, weights, fused.scores):
        table.add_row(path, f'{weight:g}', f'{np.mean(score.argmax(1) == fused.labels):.4f}')
    table.add_row('fused', '', f'{np.mean(fused.fused.argmax(1) == fused.labels):.4f}')
    (console or Console()).print(table)
    if out:
        _write_fused(out, tables[0].columns, fused)
    return fused
