"""mmengine's ValLoop, reporting the validation loss too."""
from mmengine.runner import ValLoop

from vidreg.registry import LOOPS

from .loss_eval_mixin import LossEvalMixin


@LOOPS.register_module()
class VidregValLoop(LossEvalMixin, ValLoop):
    """Validation that reports ``loss`` after the metrics (logged as ``val/loss``).

    The network runs once per batch (see :class:`LossEvalMixin`), so the loss costs no
    extra pass. ``ReduceOnPlateauLR(monitor='loss')`` schedules on it.

    Args: as :class:`mmengine.runner.ValLoop` (``runner``, ``dataloader``, ``evaluator``,
        ``fp16``).
    """

    _stage = 'val'
