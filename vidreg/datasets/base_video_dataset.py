"""Shared behaviour of every vidreg dataset: label checks, bad-row policy, metainfo."""
import math
import os.path as osp
import random
import warnings
from typing import Callable, List, Literal, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.dataset import BaseDataset

from vidreg.pipeline.compose import Compose
from vidreg.utils.worker_safe_error import WorkerSafeError

from .clip_samples import probe_videos, reader_config_of, sample_rows
from .skip_bad_samples import prepare_or_skip

Task = Literal['classification', 'regression']
BadSamplePolicy = Literal['error', 'warn_skip']


class DatasetError(WorkerSafeError, ValueError):
    """A dataset cannot be used as configured; the message names every bad row.

    Raised in a DataLoader worker (e.g. by the collate function), it keeps its message.
    """


class BaseVideoDataset(BaseDataset):
    """Base class: subclasses implement :meth:`load_rows` and return plain rows.

    Each row is a dict with ``filename`` (absolute path of a video or frame folder),
    ``label`` (int class, float target or list of floats) and ``where`` (a short
    human description of where the row comes from, e.g. ``'train.csv, line 7'``).
    This class checks every row before training starts and reports all bad rows at
    once; with ``on_bad_sample='warn_skip'`` it drops them with one warning each.

    Args:
        ann_file: Annotation file, relative to ``data_root`` unless absolute.
        data_root: Root that relative paths resolve against.
        pipeline: Transforms applied to each sample.
        test_mode: True for validation/test: deterministic sampling, no augmentation.
        task: ``'classification'`` (integer labels) or ``'regression'`` (float targets).
        num_classes: Number of classes; labels must lie in ``[0, num_classes)``.
        classes: Class names (a list, or a text file with one name per line).
        on_bad_sample: ``'error'`` stops before training, naming every bad row;
            ``'warn_skip'`` drops each bad row with a warning naming it.

    The pipeline's frame sampler (:meth:`~vidreg.pipeline.Compose.sampler`) says how many
    samples a video yields: one for the usual samplers; with a sampler whose samples
    depend on the video (``needs_header``: ``EveryClipSampleFrames``, every clip a
    sample) every video's header is read when the dataset is built (with the reader of
    the pipeline's first ``OpenVideo``, in threads, a progress bar after 2 s) and each
    sample is a row with its ``clip_index``; a video that cannot be opened, or lacks what
    the sampler needs (a frame rate), is a bad row. Rows of one video share ``path``, so
    the metrics report the videos (their clips' scores averaged) and the clips
    (``clip/`` keys).
    """

    def __init__(self,
                 *,
                 ann_file: str = '',
                 data_root: str = '',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 task: Task = 'classification',
                 num_classes: Optional[int] = None,
                 classes: Union[str, Sequence[str], None] = None,
                 on_bad_sample: BadSamplePolicy = 'error',
                 serialize_data: bool = True,
                 lazy_init: bool = False) -> None:
        if task not in ('classification', 'regression'):
            raise DatasetError(f"task must be 'classification' or 'regression', got {task!r}")
        if on_bad_sample not in ('error', 'warn_skip'):
            raise DatasetError(
                f"on_bad_sample must be 'error' or 'warn_skip', got {on_bad_sample!r}")
        self.task = task
        self.num_classes = num_classes
        self.on_bad_sample = on_bad_sample
        self._class_names = self._read_class_names(classes, data_root)
        if data_root and not osp.isdir(data_root) and self.data_root_needed(ann_file):
            raise DatasetError(self.missing_root_message(data_root))
        super().__init__(ann_file=ann_file, data_root=data_root, test_mode=test_mode,
                         serialize_data=serialize_data, lazy_init=True)
        self.pipeline = Compose(pipeline)  # vidreg's (torch-free steps, planned frame layout)
        if not lazy_init:
            self.full_init()

    #: True when the dataset's layout lives under ``data_root`` (it must exist); False when
    #: only relative paths (``ann_file``, rows) resolve against it (:class:`CSVDataset`).
    data_root_required = True

    # ---- to implement ---------------------------------------------------------------------
    def load_rows(self) -> List[dict]:
        """Return rows ``dict(filename=..., label=..., where=...)``; see the class docstring."""
        raise NotImplementedError

    @classmethod
    def data_root_needed(cls, ann_file: str) -> bool:
        """Whether building with this ``ann_file`` needs ``data_root`` to exist.

        Datasets with :attr:`data_root_required` always need it; the others only for a
        relative ``ann_file`` (relative rows are checked as they are resolved).
        """
        return cls.data_root_required or not osp.isabs(osp.expanduser(str(ann_file or '')))

    @classmethod
    def missing_root_message(cls, data_root: str) -> str:
        """Explain a missing ``data_root``: what was looked for and how to point elsewhere."""
        return (f'{cls.__name__}: data root {data_root!r} does not exist. Set data_root in '
                f'the config or pass --cfg-options data_root=/path/to/data.')

    # ---- mmengine hooks -----------------------------------------------------------------
    def load_data_list(self) -> List[dict]:
        rows = self.load_rows()
        good, problems, wheres = [], [], []
        for row in rows:
            problem = self._check_row(row)
            if problem is None:
                good.append(dict(filename=row['filename'], label=row['label']))
                wheres.append(row['where'])
            else:
                problems.append(f"{row['where']}: {problem}")
        sampler = self.pipeline.sampler()
        if sampler is not None and sampler.needs_header and good:
            probes = probe_videos([row['filename'] for row in good],
                                  reader_config_of(self.pipeline.steps),
                                  description=f'{type(self).__name__}: reading video headers')
            good, bad = sample_rows(sampler, good, probes)
            problems += [f'{wheres[position]}: {reason}' for position, reason in bad]
        if problems and self.on_bad_sample == 'error':
            shown = '\n  '.join(problems[:20])
            more = f'\n  ... and {len(problems) - 20} more' if len(problems) > 20 else ''
            raise DatasetError(
                f'{type(self).__name__}: {len(problems)} of {len(rows)} samples are unusable:\n'
                f'  {shown}{more}\nFix these rows, or set on_bad_sample="warn_skip" in the '
                f'dataset config to drop them with a warning.')
        for problem in problems:
            warnings.warn(f'{type(self).__name__}: skipping {problem}')
        if problems:
            warnings.warn(f'{type(self).__name__}: skipped {len(problems)} of {len(rows)} samples.')
        if not good:
            raise DatasetError(f'{type(self).__name__}: no usable samples in {self.ann_file!r}.')
        return good

    def __getitem__(self, key: Union[int, Tuple[int, int]]) -> dict:
        """Return the processed sample ``key``, an index or ``(index, seed)``.

        With a seed (from :class:`SeededSampler`) the pipeline's random choices are
        drawn from numpy's, Python's and torch's (CPU) RNGs seeded with it; their
        previous states are restored afterwards, so nothing else in the process is
        affected. A sample is thus the same whichever worker makes it and whatever that
        worker made before (persistent workers keep their RNGs across epochs, and a
        resumed run starts fresh ones); a transform may draw from any of the three
        (e.g. call torchvision's ``get_params``) and stay exactly resumable.
        """
        if not isinstance(key, tuple):
            return super().__getitem__(key)
        index, seed = key
        numpy_state, python_state = np.random.get_state(), random.getstate()
        torch_state = torch.random.default_generator.get_state()
        np.random.seed(seed % 2**32)
        random.seed(seed)
        torch.random.default_generator.manual_seed(seed % 2**63)
        try:
            return super().__getitem__(index)
        finally:
            np.random.set_state(numpy_state)
            random.setstate(python_state)
            torch.random.default_generator.set_state(torch_state)

    def prepare_data(self, idx: int):
        """Pipeline output of sample ``idx``; a decode failure follows ``on_bad_sample``."""
        return prepare_or_skip(self, idx)

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        info.update(task=self.task, test_mode=self.test_mode)
        return info

    @property
    def metainfo(self) -> dict:
        meta = dict(super().metainfo)
        meta['task'] = self.task
        if self._class_names is not None:
            meta['classes'] = tuple(self._class_names)
        elif self.task == 'classification' and self.num_classes:
            meta['classes'] = tuple(str(i) for i in range(self.num_classes))
        if self.task == 'regression' and self.target_names():
            meta['targets'] = tuple(self.target_names())
        return meta

    def target_names(self) -> Optional[List[str]]:
        """The names of the K regression targets, in label order (metrics report each by
        name); ``None`` when the dataset does not name them."""
        return None

    # ---- helpers ------------------------------------------------------------------------
    def resolve_path(self, path: str) -> str:
        """Expand ``~`` and join relative paths to ``data_root``.

        Raises:
            DatasetError: ``path`` is relative and ``data_root`` does not exist.
        """
        path = osp.expanduser(str(path).strip())
        if not path or osp.isabs(path):
            return path
        if self.data_root and not osp.isdir(self.data_root):
            raise DatasetError(f'{self.missing_root_message(self.data_root)} Relative paths '
                               f'(here {path!r}) resolve against it; absolute ones do not.')
        return osp.normpath(osp.join(self.data_root, path))

    def _check_row(self, row: dict) -> Optional[str]:
        if not row['filename']:
            return 'path is empty'
        if not osp.exists(row['filename']):
            return f"path {row['filename']!r} does not exist"
        for step in self.pipeline.steps:  # inputs read beside the sample's own file
            missing = getattr(step, 'missing_input', None)
            problem = missing(row['filename']) if callable(missing) else None
            if problem is not None:
                return problem
        return self._check_label(row['label'])

    def _check_label(self, label) -> Optional[str]:
        values = label if isinstance(label, (list, tuple)) else [label]
        for value in values:
            try:
                number = float(value)
            except (TypeError, ValueError):
                return f'label {value!r} is not a number'
            if math.isnan(number):
                return 'label is empty or NaN'
            if not math.isfinite(number):
                return f'label {value!r} is not a finite number'
        if self.task == 'regression':
            return None
        if len(values) != 1 or float(values[0]) != int(float(values[0])):
            return f'label {label!r} is not an integer class (use task="regression" for targets)'
        upper = self.num_classes or (len(self._class_names) if self._class_names else None)
        if int(float(values[0])) < 0 or (upper is not None and int(float(values[0])) >= upper):
            return f'label {label!r} is outside [0, {upper}) for num_classes={upper}'
        return None

    @staticmethod
    def _read_class_names(classes, data_root: str) -> Optional[List[str]]:
        if classes is None or isinstance(classes, (list, tuple)):
            return None if classes is None else [str(c) for c in classes]
        path = classes if osp.isabs(classes) else osp.join(data_root, classes)
        if not osp.isfile(path):
            raise DatasetError(f'Class-name file {path!r} does not exist (one name per line).')
        with open(path, encoding='utf-8') as f:
            return [line.strip() for line in f if line.strip()]


def parse_label(text: str) -> Union[int, float, str]:
    """Parse one label cell: ``'3'`` -> 3, ``'0.25'`` -> 0.25; other text (also ``'inf'``,
    ``'1e400'``, which would parse to infinity) is returned unchanged so that the row check
    can report it as written."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        return text
    if not math.isfinite(number):
        return text
    return int(number) if number.is_integer() else number


__all__ = ['BaseVideoDataset', 'DatasetError', 'Task', 'BadSamplePolicy', 'parse_label']
