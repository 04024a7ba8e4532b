"""Fuse the dumped predictions of separately trained streams (late fusion of their scores).

    python tools/test.py configs/rgb.py rgb.pth --dump rgb.csv
    python tools/test.py configs/flow.py flow.pth --dump flow.csv
    python tools/fuse_predictions.py rgb.csv flow.csv --weights 1 1.5 --out fused.csv

Each CSV is ``tools/test.py --dump``'s classification table (``path,label,pred,score_<class>...``,
one row per video, scores averaged over its clips). The fused scores are the weighted average of
the streams' scores, the same fusion as ``LateFusionHead(mode='average')``. Prints the top-1
accuracy of every input and of the fusion, over the videos they share.
"""
import argparse
import csv
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from vidreg.datasets import DatasetError  # noqa: E402
from vidreg.engine.entrypoint import run_cli  # noqa: E402

Table_ = Tuple[List[str], Dict[str, Tuple[int, np.ndarray]]]  # score columns, path -> (label, s)


def read_predictions(path: str) -> Table_:
    """Read a ``--dump`` CSV: its score column names and ``{path: (label, scores (K,))}``."""
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
    return header[3:], rows


def fuse(tables: List[Table_], weights: List[float], names: List[str]
         ) -> Tuple[List[str], np.ndarray, np.ndarray, List[np.ndarray]]:
    """The shared videos, their labels (M,), fused scores (M, K) and each input's scores."""
    columns = tables[0][0]
    for (other, _), name in zip(tables[1:], names[1:]):
        if other != columns:
            raise DatasetError(f'{name} has the score columns {other[:3]}..., {names[0]} has '
                               f'{columns[:3]}...: the streams must predict the same classes.')
    paths = [p for p in tables[0][1] if all(p in rows for _, rows in tables[1:])]
    if not paths:
        raise DatasetError(f'{", ".join(names)} share no video path: dump the same split.')
    labels = np.array([tables[0][1][p][0] for p in paths])
    for (_, rows), name in zip(tables[1:], names[1:]):
        wrong = [p for p in paths if rows[p][0] != tables[0][1][p][0]]
        if wrong:
            raise DatasetError(f'{name} labels {wrong[0]!r} {rows[wrong[0]][0]}, {names[0]} '
                               f'{tables[0][1][wrong[0]][0]}: not the same annotations.')
    scores = [np.stack([rows[p][1] for p in paths]) for _, rows in tables]
    fused = sum(w * s for w, s in zip(weights, scores)) / sum(weights)
    return paths, labels, fused, scores


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('predictions', nargs='+', help='CSV files of tools/test.py --dump')
    parser.add_argument('--weights', type=float, nargs='+',
                        help='one weight per file (default equal), e.g. 1 1.5 for RGB, flow')
    parser.add_argument('--out', help='write the fused predictions here (same CSV layout)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    weights = args.weights or [1.0] * len(args.predictions)
    if len(weights) != len(args.predictions) or min(weights) < 0 or sum(weights) <= 0:
        raise DatasetError(f'--weights: give {len(args.predictions)} non-negative numbers with a '
                           f'positive sum (one per file), got {weights}')
    tables = [read_predictions(path) for path in args.predictions]
    paths, labels, fused, scores = fuse(tables, weights, args.predictions)
    table = Table(title=f'top-1 over {len(paths)} videos')
    table.add_column('predictions')
    table.add_column('weight', justify='right')
    table.add_column('top-1', justify='right')
    for path, weight, score in zip(args.predictions, weights, scores):
        table.add_row(path, f'{weight:g}', f'{np.mean(score.argmax(1) == labels):.4f}')
    table.add_row('fused', '', f'{np.mean(fused.argmax(1) == labels):.4f}')
    Console().print(table)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w', newline='', encoding='utf-8') as f:
            writer = csv.writer(f)
            writer.writerow(['path', 'label', 'pred', *tables[0][0]])
            for path, label, row in zip(paths, labels, fused):
                writer.writerow([path, int(label), int(row.argmax()), *(f'{v:.6g}' for v in row)])


if __name__ == '__main__':
    run_cli(main)
