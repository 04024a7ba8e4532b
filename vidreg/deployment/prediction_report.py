"""The console table and the CSV/JSON files of a tools/infer.py run."""
import csv
import json
import os
import os.path as osp
from typing import Sequence, Tuple

from rich.console import Console
from rich.table import Table

from vidreg.fileio import atomic_open

from .prediction import Prediction

__all__ = ['print_predictions', 'write_predictions']


def _problem_table(title: str, column: str, rows: Sequence[Tuple[str, str]]) -> Table:
    table = Table(title=title, title_style='bold red')
    table.add_column(column, overflow='fold')
    table.add_column('reason', overflow='fold')
    for name, reason in rows:
        table.add_row(name, reason)
    return table


def print_predictions(predictions: Sequence[Prediction], bad: Sequence[Tuple[str, str]], *,
                      topk: int, console: Console,
                      not_written: Sequence[Tuple[str, str]] = ()) -> None:
    """One table row per prediction (top-k classes or the values), then the unusable inputs
    and the output files that could not be written (``(file, reason)``)."""
    windows = any(p.start is not None for p in predictions)
    table = Table(title=f'{len(predictions)} prediction(s)')
    table.add_column('video', overflow='fold')
    if windows:
        table.add_column('window (s)', justify='right')
    if any(p.label is not None for p in predictions):
        table.add_column('label')
    table.add_column(_value_column(predictions, topk))
    for p in predictions:
        cells = [osp.basename(osp.normpath(p.path))
                 + (f' (truncated: {p.truncation_note})' if p.truncated else '')]
        if windows:
            cells.append(f'{p.start:.1f}-{p.end:.1f}')
        if any(q.label is not None for q in predictions):
            cells.append(p.label or '')
        cells.append('  '.join(f'{name} {value:.3f}' for name, value in p.topk(topk)))
        table.add_row(*cells)
    if predictions:
        console.print(table)
    if bad:
        console.print(_problem_table(f'{len(bad)} input(s) could not be used', 'input', bad))
    if not_written:
        console.print(_problem_table(f'{len(not_written)} output file(s) could not be written '
                                     f'(their predictions are kept)', 'file', not_written))


def _value_column(predictions: Sequence[Prediction], topk: int) -> str:
    task = predictions[0].task if predictions else 'regression'
    if task == 'multilabel':
        return f'labels (score >= {predictions[0].threshold:.2f})'
    return f'top-{topk}' if task == 'classification' else 'values'


def _pred_cell(p: Prediction) -> str:
    """The CSV's ``pred``: the top class, the labels (``a;b``, multi-label) or the value."""
    if p.task == 'multilabel':  # in class order, as the annotation CSVs list them
        return ';'.join(name for name, value in zip(p.names, p.values) if value >= p.threshold)
    return p.topk(1)[0][0] if p.task == 'classification' else format(p.values[0], '.6g')


def _replace_atomically(path: str, write) -> None:
    with atomic_open(path, 'w', newline='', encoding='utf-8') as f:
        write(f)


def write_predictions(predictions: Sequence[Prediction], bad: Sequence[Tuple[str, str]],
                      out_prefix: str, *, topk: int) -> Tuple[str, str]:
    """Write ``<out_prefix>.csv`` and ``<out_prefix>.json``.

    CSV: ``path,label,truncated[,start,end],pred,<value name>...`` (one column per class
    probability or regression value; multi-label: ``pred`` is the ``;``-separated classes at or
    above the threshold, empty for none; ``truncated`` is empty, or ``'14 of 50 frames'`` for a
    video that ended before the frame count in its header). JSON: ``predictions`` (path,
    label, window, ``truncated``, ``topk`` and every value by name) and ``bad_inputs``.

    Returns:
        The two paths written.
    """
    os.makedirs(osp.dirname(osp.abspath(out_prefix)), exist_ok=True)
    csv_path, json_path = f'{out_prefix}.csv', f'{out_prefix}.json'
    windows = any(p.start is not None for p in predictions)
    names = predictions[0].names if predictions else ()

    def write_csv(f) -> None:
        writer = csv.writer(f)
        writer.writerow(['path', 'label', 'truncated', *(['start', 'end'] if windows else []),
                         'pred', *names])
        for p in predictions:
            pred = _pred_cell(p)
            span = [f'{p.start:.3f}', f'{p.end:.3f}'] if windows else []
            writer.writerow([p.path, p.label or '', p.truncation_note, *span, pred,
                             *(format(v, '.6g') for v in p.values)])

    def write_json(f) -> None:
        json.dump(dict(predictions=[p.as_dict(topk) for p in predictions],
                       bad_inputs=[dict(input=n, reason=r) for n, r in bad]), f, indent=1)

    _replace_atomically(csv_path, write_csv)
    _replace_atomically(json_path, write_json)
    return csv_path, json_path
