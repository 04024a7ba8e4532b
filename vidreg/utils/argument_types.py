"""argparse ``type=`` functions that refuse values a tool cannot use, at parse time."""
import argparse
import math
import os.path as osp

__all__ = ['non_negative_int', 'positive_int', 'positive_float', 'predictions_csv']


def _whole_number(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise argparse.ArgumentTypeError(f'expected a whole number {what}, got {text!r}')
    return value


def positive_int(text: str) -> int:
    """A whole number > 0 (``--topk 5``); anything else is a one-line argparse error."""
    return _whole_number(text, 1, '> 0')


def non_negative_int(text: str) -> int:
    """A whole number >= 0 (``--workers 0``); anything else is a one-line argparse error."""
    return _whole_number(text, 0, '>= 0')


def positive_float(text: str) -> float:
    """A finite number > 0 (``--window 2.5``); 0, negatives, nan and inf are refused."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f'expected a finite number > 0, got {text!r}')
    return value


def predictions_csv(path: str) -> str:
    """A .csv file to write (``--dump preds.csv``), or a folder (existing, or named with a
    trailing slash) to write ``predictions.csv`` into."""
    if osp.isdir(path) or path.endswith(('/', osp.sep)):
        return osp.join(path, 'predictions.csv')
    if not path.endswith('.csv'):
        raise argparse.ArgumentTypeError(f'{path!r} is no .csv file: pass FILE.csv, or a folder '
                                         f'to write predictions.csv into')
    return path
