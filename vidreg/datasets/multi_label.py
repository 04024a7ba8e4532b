"""Multi-label annotations: a video with any number of K classes, as a multi-hot vector.

Two ways to write them in a CSV (see ``docs/multilabel.md``):

- one label column of ``;``-separated class indices, ``videos/a.mp4,1;4`` (an empty cell is
  a video with none of the classes);
- one column per class holding 0 or 1 (``path,cat,dog,bird``: ``label_columns``).
"""
from typing import List, Sequence, Union

__all__ = ['multi_hot', 'multi_hot_of_cells', 'multi_hot_of_indices']

SEPARATOR = ';'


def multi_hot_of_indices(cell: object, num_classes: int) -> List[int]:
    """Multi-hot vector of one ``;``-separated list of class indices.

    Args:
        cell: The label cell, e.g. ``'1;4'``, ``''`` (no class) or ``3`` (one class, as an int).
        num_classes: K; every index must lie in ``[0, K)``.

    Returns:
        K values, 1 for the listed classes and 0 elsewhere.

    Raises:
        ValueError: An index is not an integer, lies outside ``[0, K)`` or is listed twice;
            the message quotes the cell.
    """
    text = str(cell).strip()
    vector = [0] * num_classes
    if not text:
        return vector
    for part in text.split(SEPARATOR):
        part = part.strip()
        if not part.isdigit():
            raise ValueError(f'label {text!r}: {part!r} is not a class index (write indices '
                             f'separated by {SEPARATOR!r}, e.g. "1{SEPARATOR}4"; an empty label '
                             'is a video with none of the classes)')
        index = int(part)
        if index >= num_classes:
            raise ValueError(f'label {text!r}: class {index} is outside [0, {num_classes}) for '
                             f'num_classes={num_classes}')
        if vector[index]:
            raise ValueError(f'label {text!r}: class {index} is listed twice')
        vector[index] = 1
    return vector


def multi_hot_of_cells(cells: Sequence[object], columns: Sequence[str]) -> List[int]:
    """Multi-hot vector of one row of 0/1 class columns.

    Args:
        cells: One cell per class column.
        columns: The column names, named in errors.

    Raises:
        ValueError: A cell is not 0 or 1; the message names its column.
    """
    vector = []
    for cell, column in zip(cells, columns):
        text = str(cell).strip()
        if text not in ('0', '1', '0.0', '1.0'):
            raise ValueError(f'column {column!r} holds {text!r}; each class column must hold 0 '
                             'or 1')
        vector.append(int(float(text)))
    return vector


def multi_hot(label: Union[object, Sequence[object]], num_classes: int,
              columns: Sequence[str]) -> List[int]:
    """The multi-hot vector of a row's label as read: one ``;`` cell, or one cell per column.

    Args:
        label: The cell (one label column) or the list of cells (one column per class).
        num_classes: K (the number of columns when there is one per class).
        columns: The label columns.
    """
    if len(columns) == 1:
        return multi_hot_of_indices(label, num_classes)
    return multi_hot_of_cells(label, columns)
