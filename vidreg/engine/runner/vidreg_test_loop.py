"""mmengine's TestLoop, reporting the loss too when the test set has labels."""
from mmengine.runner import TestLoop

from vidreg.registry import LOOPS

from .loss_eval_mixin import LossEvalMixin


@LOOPS.register_module()
class VidregTestLoop(LossEvalMixin, TestLoop):
    """Testing that reports ``loss`` after the metrics when every sample has a label.

    ``tools/test.py --split val`` therefore reproduces the validation loss of training
    as well as its metrics. See :class:`LossEvalMixin`.

    Args: as :class:`mmengine.runner.TestLoop` (``runner``, ``dataloader``, ``evaluator``,
        ``fp16``).
    """

    _stage = 'test'
