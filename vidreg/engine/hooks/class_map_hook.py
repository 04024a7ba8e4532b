"""Check a loaded checkpoint's class-index map against the data, and name predictions with it."""
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import BaseLoop

from vidreg.registry import HOOKS


class ClassMapError(ValueError):
    """The checkpoint and the dataset number their classes differently."""


def _index_names(num_classes: int) -> tuple[str, ...]:
    return tuple(str(i) for i in range(num_classes))


def reconcile_classes(trained: Optional[Sequence[str]], data: Optional[Sequence[str]],
                      where: str) -> Optional[tuple[str, ...]]:
    """The class names to report for ``data``, given those the model was trained with.

    Args:
        trained: ``dataset_meta['classes']`` stored in the checkpoint, or ``None``.
        data: ``metainfo['classes']`` of the dataset being evaluated, or ``None``.
        where: Names the dataset in error messages, e.g. ``'the test set'``.

    Returns:
        ``trained`` when the data has only index names (``'0'``, ``'1'``, ...:
        a CSV of integer labels) and the same number of classes, so
        predictions carry the names the model learnt; otherwise ``None``
        (keep the data's names).

    Raises:
        ClassMapError: The numbers of classes differ, or both have real names
            and they differ (same names in another order included: label ``i``
            would mean another class to the model).
    """
    if not trained or not data:
        return None
    trained, data = tuple(trained), tuple(data)
    if len(trained) != len(data):
        raise ClassMapError(
            f'The checkpoint was trained on {len(trained)} classes but {where} has {len(data)}. '
            f'Evaluate with the class list the model was trained with (num_classes and the '
            f'classes file or annotation files of its config).')
    if data == trained:
        return None
    if data == _index_names(len(data)):
        return trained
    if trained == _index_names(len(trained)):
        return None  # the model knew only indices; the data's names are the only ones
    diffs = [f'{i}: {a!r} vs {b!r}' for i, (a, b) in enumerate(zip(trained, data)) if a != b]
    raise ClassMapError(
        f'The class-index map of the checkpoint differs from that of {where} '
        f'(index: checkpoint vs data) {"; ".join(diffs[:5])}'
        f'{f" and {len(diffs) - 5} more" if len(diffs) > 5 else ""}. Label i must mean the same '
        f'class in both: use the same classes file (or class folders) as in training.')


@HOOKS.register_module()
class ClassMapHook(Hook):
    """Compare a loaded checkpoint's classes with every built loop's dataset.

    mmengine stores the training set's ``metainfo`` (``classes``, ``task``) in
    each checkpoint as ``meta['dataset_meta']``. When a checkpoint is loaded
    (``tools/test.py``, ``load_from``, ``--resume``), this hook checks it
    against the datasets of the built val/test loops with
    :func:`reconcile_classes`: a mismatch stops the run with both maps named;
    a dataset with integer labels only gets the checkpoint's names, so
    metrics, confusion matrices and ``--dump`` files say ``'walk'``, not ``'3'``.
    """

    priority = 'VERY_LOW'

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = (checkpoint.get('meta') or {}).get('dataset_meta') or {}
        trained = meta.get('classes')
        for name in ('val', 'test'):
            loop = getattr(runner, f'_{name}_loop', None)
            if not isinstance(loop, BaseLoop):
                continue  # not built in this run
            dataset_meta = dict(getattr(loop.dataloader.dataset, 'metainfo', None) or {})
            names = reconcile_classes(trained, dataset_meta.get('classes'), f'the {name} set')
            if names is not None and hasattr(loop, 'evaluator'):
                loop.evaluator.dataset_meta = dict(dataset_meta, classes=names)
                print_log(f'ClassMapHook: the {name} set has integer labels only; reporting '
                          f'them with the class names stored in the checkpoint.', logger='current')
