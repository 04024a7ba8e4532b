"""A metric that writes one CSV row of predictions per video."""
import csv
import os
from typing import Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from vidreg.fileio import atomic_open
from vidreg.registry import METRICS

from .video_aggregation import average_per_video, sample_prediction, video_key

__all__ = ['DumpPredictions']


def _number(value: float) -> str:
    return format(float(value), '.6g')


@METRICS.register_module()
class DumpPredictions(BaseMetric):
    """Write the predictions of every video to a CSV file; report no scalars.

    Clips that share a ``path`` are averaged into one row per video, in ``sample_idx`` order.
    Columns:

    - classification (samples with ``pred_score``): ``path,label,pred,score_<class>...`` with the
      integer truth, the argmax of the averaged scores and one score column per class (names
      from ``dataset_meta['classes']`` when it has K names, else the class index);
    - regression (samples with ``pred_value``), one output: ``path,label,pred``; K > 1 outputs:
      ``path,label_0..label_<K-1>,pred_0..pred_<K-1>``.

    The file is written to a temporary sibling and moved into place with ``os.replace``, so
    readers never see a partial file. ``compute_metrics`` returns ``{}`` (mmengine's Evaluator
    merges it with the other metrics' scalars); ``last_details`` holds ``out_file``,
    ``num_videos`` and ``task``.

    Args:
        out_file: CSV path; missing folders are created.
        collect_device: ``'cpu'`` or ``'gpu'``, where results are gathered across ranks.
    """

    default_prefix: Optional[str] = 'dump'

    def __init__(self, out_file: str, collect_device: str = 'cpu') -> None:
        super().__init__(collect_device=collect_device)
        if not str(out_file).endswith('.csv'):
            raise ValueError(f'out_file must end with .csv, got {out_file!r}')
        self.out_file = os.path.abspath(os.path.expanduser(str(out_file)))
        self.last_details: dict = {}

    def process(self, data_batch: object, data_samples: Sequence[dict]) -> None:
        """Keep the truth, prediction and video key of every sample, on the CPU."""
        for data_sample in data_samples:
            task, pred, label = sample_prediction(data_sample, 'DumpPredictions')
            self.results.append(dict(
                key=video_key(data_sample, len(self.results)), task=task,
                sample_idx=data_sample.get('sample_idx', len(self.results)),
                pred=pred, label=label))

    def compute_metrics(self, results: list) -> dict[str, float]:
        """Write the CSV file; return no scalars."""
        tasks = {r['task'] for r in results}
        if len(tasks) > 1:
            raise ValueError('DumpPredictions got both classification and regression samples')
        task = tasks.pop() if tasks else 'classification'
        results = sorted(results, key=lambda r: r['sample_idx'])
        header, rows = ['path', 'label', 'pred'], []
        if results:
            keys, preds, labels = average_per_video(
                [r['key'] for r in results], np.stack([r['pred'] for r in results]),
                np.stack([r['label'] for r in results]))
            header, rows = self._table(task, keys, preds, labels)
        self._write(header, rows)
        self.last_details = dict(out_file=self.out_file, num_videos=len(rows), task=task)
        return {}

    def _table(self, task: str, keys: list[str], preds: np.ndarray,
               labels: np.ndarray) -> tuple[list[str], list[list[str]]]:
        """Header and rows for M videos: preds (M, K), labels (M, 1) or (M, K)."""
        num_outputs = preds.shape[1]
        if task == 'classification':
            names = (self.dataset_meta or {}).get('classes')
            if names is None or len(names) != num_outputs:
                names = range(num_outputs)
            header = ['path', 'label', 'pred'] + [f'score_{name}' for name in names]
            rows = [[key, str(int(label[0])), str(int(np.argmax(pred)))]
                    + [_number(s) for s in pred] for key, pred, label in zip(keys, preds, labels)]
        elif num_outputs == 1:
            header = ['path', 'label', 'pred']
            rows = [[key, _number(label[0]), _number(pred[0])]
                    for key, pred, label in zip(keys, preds, labels)]
        else:
            header = (['path'] + [f'label_{k}' for k in range(num_outputs)]
                      + [f'pred_{k}' for k in range(num_outputs)])
            rows = [[key] + [_number(v) for v in label] + [_number(v) for v in pred]
                    for key, pred, label in zip(keys, preds, labels)]
        return header, rows

    def _write(self, header: list[str], rows: list[list[str]]) -> None:
        with atomic_open(self.out_file, newline='') as file:
            writer = csv.writer(file, lineterminator='\n')
            writer.writerow(header)
            writer.writerows(rows)
