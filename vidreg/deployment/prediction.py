"""One prediction (a video or a window of one), independent of the backend that made it."""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

__all__ = ['Prediction']


@dataclass
class Prediction:
    """Scores or values predicted for one video, or for one window of it.

    Attributes:
        path: The video file or frame folder.
        task: ``'classification'`` (``values`` are probabilities, one per class),
            ``'regression'`` (``values`` are the K predicted numbers) or ``'multilabel'``
            (``values`` are one independent probability per class).
        names: One name per value: the class names, or ``value``/``value_k``.
        values: ``(K,)`` float64.
        label: The label given with the input (a CSV's second column), if any.
        start: Window start in seconds (``None`` for a whole video).
        end: Window end in seconds.
        truncated: ``(header count, real count)`` of frames when the video ended before the
            count in its header (a truncated file: clips reaching past the real end repeat its
            last frame), else ``None``.
        threshold: Multi-label only: the decision threshold (the one chosen on validation,
            stored in the checkpoint or the .onnx); the classes at or above it are the
            predicted labels (:meth:`labels`).
    """

    path: str
    task: str
    names: Tuple[str, ...]
    values: np.ndarray
    label: Optional[str] = None
    start: Optional[float] = None
    end: Optional[float] = None
    truncated: Optional[Tuple[int, int]] = None
    threshold: Optional[float] = None

    @staticmethod
    def value_names(task: str, num_values: int,
                    classes: Optional[Sequence[str]] = None) -> Tuple[str, ...]:
        """Names of K values: ``classes`` (or indices) for classification, ``value[_k]`` else."""
        if task != 'regression':
            if classes is not None and len(classes) == num_values:
                return tuple(str(c) for c in classes)
            return tuple(str(i) for i in range(num_values))
        return ('value',) if num_values == 1 else tuple(f'value_{k}' for k in range(num_values))

    def labels(self) -> List[Tuple[str, float]]:
        """Multi-label: the classes whose probability reaches :attr:`threshold`, most likely
        first, as ``(name, probability)``."""
        order = np.argsort(-self.values, kind='stable')
        return [(self.names[i], float(self.values[i])) for i in order
                if self.values[i] >= self.threshold]

    def topk(self, k: int) -> List[Tuple[str, float]]:
        """The ``k`` most likely classes as ``(name, probability)``; every value for regression;
        the predicted labels (:meth:`labels`) for multi-label."""
        if self.task == 'multilabel':
            return self.labels()
        if self.task != 'classification':
            return list(zip(self.names, self.values.tolist()))
        order = np.argsort(-self.values, kind='stable')[:k]
        return [(self.names[i], float(self.values[i])) for i in order]

    @property
    def truncation_note(self) -> str:
        """``'14 of 50 frames'`` (real of header count) for a truncated video, else ``''``."""
        return '' if self.truncated is None else \
            f'{self.truncated[1]} of {self.truncated[0]} frames'

    @property
    def summary(self) -> str:
        """A short text: ``'walk 0.93'``, ``'value 0.42'`` or, multi-label, every predicted
        label (``'cat 0.91, dog 0.62'``, ``'none'``) (drawn on annotated videos)."""
        return ', '.join(f'{name} {value:.2f}' for name, value in self.topk(1)) or 'none'

    def as_dict(self, topk: int) -> dict:
        """JSON-ready fields: path, label, window, truncation, top-k (or, multi-label, the
        threshold and the labels at or above it), every value."""
        row: dict = dict(path=self.path)
        if self.label is not None:
            row['label'] = self.label
        if self.start is not None:
            row.update(start=round(self.start, 3), end=round(self.end, 3))
        if self.truncated is not None:
            row['truncated'] = dict(header_frames=self.truncated[0],
                                    decoded_frames=self.truncated[1])
        if self.task == 'classification':
            row['topk'] = [dict(name=n, prob=round(p, 6)) for n, p in self.topk(topk)]
        if self.task == 'multilabel':
            row.update(threshold=round(float(self.threshold), 6),
                       labels=[dict(name=n, prob=round(p, 6)) for n, p in self.labels()])
        row['values'] = {n: round(float(v), 6) for n, v in zip(self.names, self.values)}
        return row

    @classmethod
    def of(cls, values: Union[np.ndarray, Sequence[float]], *, path: str, task: str,
           classes: Optional[Sequence[str]] = None, **fields) -> 'Prediction':
        """Build from K values, naming them with :meth:`value_names`."""
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        return cls(path=path, task=task, names=cls.value_names(task, len(values), classes),
                   values=values, **fields)
