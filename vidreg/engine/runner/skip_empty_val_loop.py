"""mmengine's validation loop, skipping batches left empty by skipped samples."""
from mmengine.runner import ValLoop

from vidreg.datasets.video_collate import is_empty_batch
from vidreg.registry import LOOPS

from .empty_batch import run_hooks_only


@LOOPS.register_module()
class SkipEmptyValLoop(ValLoop):
    """``ValLoop`` that runs only the hooks on a batch whose every sample was skipped.

    See :class:`SkipEmptyTrainLoop`. The skipped samples are missing from the metrics (and
    reported by :class:`~vidreg.engine.hooks.SkippedSamplesHook`).

    Arguments: as ``ValLoop``.
    """

    def run_iter(self, idx: int, data_batch: dict) -> None:
        """Validate one batch, or only run the hooks when it is empty."""
        if is_empty_batch(data_batch):
            run_hooks_only(self, 'val', idx, data_batch)
        else:
            super().run_iter(idx, data_batch)
