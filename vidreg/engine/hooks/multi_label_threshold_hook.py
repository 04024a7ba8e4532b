"""Store the decision threshold chosen on the validation split in a multi-label head."""
from typing import Dict, Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from vidreg.models.heads import MultiLabelHead
from vidreg.registry import HOOKS

# The metric key whose value is stored (any prefix: 'multilabel/best_threshold').
BEST_THRESHOLD_KEY = 'best_threshold'


@HOOKS.register_module()
class MultiLabelThresholdHook(Hook):
    """After each validation, set a :class:`~vidreg.models.heads.MultiLabelHead`'s
    ``threshold`` to the validation split's ``best_threshold``
    (:class:`~vidreg.evaluation.metrics.MultiLabelMetric`: the threshold with the best micro
    F1).

    It runs before the checkpoint hook (``'NORMAL'`` priority, the checkpoint hook's is
    ``'VERY_LOW'``), so every checkpoint, the best one included, holds the threshold chosen on
    the validation of its own epoch; ``tools/test.py``, inference and the ONNX export then
    decide with it. Models without a multi-label head, and validations that report no
    ``best_threshold``, are left alone.
    """

    priority = 'NORMAL'

    def after_val_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        head = getattr(model, 'head', None)
        if not isinstance(head, MultiLabelHead) or not metrics:
            return
        chosen = [value for key, value in metrics.items()
                  if key.rsplit('/', 1)[-1] == BEST_THRESHOLD_KEY]
        if len(chosen) != 1 or not 0 < chosen[0] < 1:
            return
        if float(head.threshold) != chosen[0]:
            runner.logger.info(f'Multi-label threshold: {float(head.threshold):.2f} -> '
                               f'{chosen[0]:.2f} (best micro F1 on the validation split)')
        head.set_threshold(chosen[0])
