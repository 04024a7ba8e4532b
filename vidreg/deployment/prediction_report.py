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


def print_predictions(predictions: Sequence[Prediction], bad: Sequence[Tuple[str, str]], *,
                      topk: int, console: Console) -> None:
    """One table row per prediction (top-k classes or the values), then the unusable inputs."""
    windows = any(p.start is not None for p in predictions)
    table = Table(title=f'{len(predictions)} prediction(s)')
    table.add_column('video', overflow='fold')
    if windows:
        table.add_column('window (s)', justify='right')
    if any(p.label is not None for p in predictions):
        table.add_column('label')
    table.add_column(f'top-{topk}' if predictions and predictions[0].task == 'classification'
                     else 'values')
    for p in predictions:
        cells = [osp.basename(osp.normpath(p.path))]
        if windows:
            cells.append(f'{p.start:.1f}-{p.end:.1f}')
        if any(q.label is not None for q in predictions):
            cells.append(p.label or '')
        cells.append('  '.join(f'{name} {value:.3f}' for name, value in p.topk(topk)))
        table.add_row(*cells)
    if predictions:
        console.print(table)
    if bad:
        bad_table = Table(title=f'{len(bad)} input(s) could not be used', title_style='bold red')
        bad_table.add_column('input', overflow='fold')
        bad_table.add_column('reason', overflow='fold')
        for name, reason in bad:
            bad_table.add_row(name, reason)
        console.print(bad_table)


def _replace_atomically(path: str, write) -> None:
    with atomic_open(path, 'w', newline='', encoding='utf-8') as f:
        write(f)


def write_predictions(predictions: Sequence[Prediction], bad: Sequence[Tuple[str, str]],
                      out_prefix: str, *, topk: int) -> Tuple[str, str]:
    """Write ``<out_prefix>.csv`` and ``<out_prefix>.json``.

    CSV: ``path,label[,start,end],pred,<value name>...`` (one column per class
    probability or regression value). JSON: ``predictions`` (path, label,
    window, ``topk`` and every value by name) and ``bad_inputs``.

    Returns:
        The two paths written.
    """
    os.makedirs(osp.dirname(osp.abspath(out_prefix)), exist_ok=True)
    csv_path, json_path = f'{out_prefix}.csv', f'{out_prefix}.json'
    windows = any(p.start is not None for p in predictions)
    names = predictions[0].names if predictions else ()

    def write_csv(f) -> None:
        writer = csv.writer(f)
        writer.writerow(['path', 'label', *(['start', 'end'] if windows else []), 'pred',
                         *names])
        for p in predictions:
            pred = p.topk(1)[0][0] if p.task == 'classification' else format(p.values[0], '.6g')
            span = [f'{p.start:.3f}', f'{p.end:.3f}'] if windows else []
            writer.writerow([p.path, p.label or '', *span, pred,
                             *(format(v, '.6g') for v in p.values)])

    def write_json(f) -> None:
        json.dump(dict(predictions=[p.as_dict(topk) for p in predictions],
                       bad_inputs=[dict(input=n, reason=r) for n, r in bad]), f, indent=1)

    _replace_atomically(csv_path, write_csv)
    _replace_atomically(json_path, write_json)
    return csv_path, json_path
