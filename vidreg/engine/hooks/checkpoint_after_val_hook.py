"""mmengine's CheckpointHook, but the epoch's checkpoint also holds its validation results."""
from typing import Dict, Optional

from mmengine.hooks import CheckpointHook

from vidreg.registry import HOOKS


@HOOKS.register_module()
class CheckpointAfterValHook(CheckpointHook):
    """Rewrites ``epoch_N.pth`` after epoch N's validation.

    mmengine saves ``epoch_N.pth`` before validating epoch N and rewrites it only
    when the best score improves. A run resumed from it then lacks epoch N's
    validation results (the history behind ``summary.json``). This hook rewrites
    the checkpoint (atomically, via ``VidregRunner``) after every validation.
    Arguments are those of :class:`mmengine.hooks.CheckpointHook`.
    """

    def after_val_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        best_before = runner.message_hub.get_info('best_score')
        super().after_val_epoch(runner, metrics)
        rewritten = runner.message_hub.get_info('best_score') != best_before  # mmengine did it
        expected = self.file_backend.join_path(self.out_dir,
                                               self.filename_tmpl.format(runner.epoch))
        if self.by_epoch and not rewritten and self.last_ckpt == expected:
            self._save_checkpoint_with_step(runner, runner.epoch,
                                            meta=dict(epoch=runner.epoch, iter=runner.iter))
