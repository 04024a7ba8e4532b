"""What tools/test.py prints after evaluation: metrics, per-class accuracy and a confusion
matrix (classification), per-class AP and its bar chart (multi-label)."""
import os.path as osp
from typing import Dict, Optional

from mmengine.dist import is_main_process
from rich.console import Console
from rich.table import Table


def print_test_report(runner, metrics: Dict[str, float], dump_file: Optional[str] = None) -> None:
    """Print a metrics table; for classification also per-class accuracy, and save the
    confusion matrix as ``<work_dir>/confusion_matrix.png``; for multi-label the per-class AP
    and F1, and their bar chart ``<work_dir>/per_class_ap.png`` (all per video: the metrics'
    ``last_details`` are per video, from the clip scores averaged when the rows are clips)."""
    if not is_main_process():
        return
    console = Console()
    table = Table(title='Test metrics')
    table.add_column('metric')
    table.add_column('value', justify='right')
    for key, value in metrics.items():
        table.add_row(key, f'{value:.4f}' if isinstance(value, float) else str(value))
    console.print(table)
    for metric in runner.test_evaluator.metrics:
        details = getattr(metric, 'last_details', None) or {}
        if 'confusion_matrix' in details:
            _print_per_class(console, details)
            from vidreg.evaluation.plots import save_confusion_matrix_png
            path = osp.join(runner.work_dir, 'confusion_matrix.png')
            save_confusion_matrix_png(details['confusion_matrix'], details.get('classes'), path)
            console.print(f'confusion matrix: {path}')
        if 'per_class_ap' in details:
            _print_per_class_ap(console, details)
            from vidreg.evaluation.plots import save_per_class_ap_png
            path = save_per_class_ap_png(details['per_class_ap'], details['support'],
                                         osp.join(runner.work_dir, 'per_class_ap.png'))
            console.print(f'per-class AP: {path}')
    if dump_file:
        console.print(f'predictions: {dump_file}')


def _print_per_class(console: Console, details: dict) -> None:
    matrix = details['confusion_matrix']
    names = details.get('classes') or [str(i) for i in range(len(matrix))]
    table = Table(title='Per-class accuracy')
    for column in ('class', 'videos', 'accuracy'):
        table.add_column(column, justify='left' if column == 'class' else 'right')
    for i, name in enumerate(names):
        total = int(matrix[i].sum())
        accuracy = f'{matrix[i, i] / total:.4f}' if total else '-'
        table.add_row(str(name), str(total), accuracy)
    console.print(table)


def _print_per_class_ap(console: Console, details: dict) -> None:
    table = Table(title=f"Per-class AP (F1 at threshold {details['threshold']:.2f})")
    for column in ('class', 'videos with it', 'AP', 'F1'):
        table.add_column(column, justify='left' if column == 'class' else 'right')
    for name, ap in details['per_class_ap'].items():
        f1 = details['per_class_f1'][name]
        table.add_row(name, str(details['support'][name]), '-' if ap != ap else f'{ap:.4f}',
                      '-' if f1 != f1 else f'{f1:.4f}')
    console.print(table)
    for note in details.get('notes', ()):
        console.print(f'note: {note}')
