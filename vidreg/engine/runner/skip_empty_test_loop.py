"""mmengine's test loop, skipping batches left empty by skipped samples."""
from mmengine.runner import TestLoop

from vidreg.datasets.video_collate import is_empty_batch
from vidreg.registry import LOOPS

from .empty_batch import run_hooks_only


@LOOPS.register_module()
class SkipEmptyTestLoop(TestLoop):
    """``TestLoop`` that runs only the hooks on a batch whose every sample was skipped.

    See :class:`SkipEmptyTrainLoop`. The skipped samples are missing from the metrics (and
    reported by :class:`~vidreg.engine.hooks.SkippedSamplesHook`).

    Arguments: as ``TestLoop``.
    """

    def run_iter(self, idx: int, data_batch: dict) -> None:
        """Test one batch, or only run the hooks when it is empty."""
        if is_empty_batch(data_batch):
            run_hooks_only(self, 'test', idx, data_batch)
        else:
            super().run_iter(idx, data_batch)
