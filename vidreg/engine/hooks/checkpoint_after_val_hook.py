"""mmengine's CheckpointHook, but the epoch's checkpoint also holds its validation results."""
import os
import os.path as osp
import re
from typing import Dict, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.runner import BaseLoop

from vidreg.config import ConfigError
from vidreg.fileio import remove_stale_temps
from vidreg.registry import HOOKS

# Message-hub key: the last epoch whose validation the checkpoints record.
VALIDATED_EPOCH_KEY = 'vidreg_validated_epoch'

# Which way vidreg's metrics improve, beside mmengine's defaults (acc, top, ... greater; loss
# less), matched as mmengine does: a key named exactly, else one contained in the metric name.
GREATER_KEYS = (*CheckpointHook._default_greater_keys, 'pearson', 'spearman', 'ccc', 'r2',
                'qwk')
LESS_KEYS = (*CheckpointHook._default_less_keys, 'mse', 'rmse', 'mae')


def infer_rule(metric: str) -> Optional[str]:
    """``'greater'`` or ``'less'`` for a metric name (``'reg/rmse'``, ``'val/acc/top1'``) as
    :class:`CheckpointAfterValHook` infers it; ``None`` when the name says neither."""
    name = metric.lower()
    for exact in (True, False):
        for rule, keys in (('greater', GREATER_KEYS), ('less', LESS_KEYS)):
            if any((key.lower() == name) if exact else (key.lower() in name) for key in keys):
                return rule
    return None


@HOOKS.register_module()
class CheckpointAfterValHook(CheckpointHook):
    """Rewrites ``epoch_N.pth`` after epoch N's validation, and repairs a run stopped mid-save.

    mmengine saves ``epoch_N.pth`` before validating epoch N and rewrites it only
    when the best score improves. A run resumed from it then lacks epoch N's
    validation results (the history behind ``summary.json``). This hook rewrites
    the checkpoint (atomically, via ``VidregRunner``) after every validation.

    A run can still stop between validating and rewriting (``kill -9``, a full disk).
    When it starts again, the hook removes the temporary files such a stop left
    behind; if the checkpoint it resumes from predates its epoch's validation, it
    validates that epoch again before training on (so the history keeps the epoch's
    row and the best checkpoint is chosen as in an uninterrupted run), then removes
    any ``best_*`` checkpoint that the run no longer names, so one best remains.

    ``save_best`` without a ``rule`` (``'auto'``: the first metric) knows vidreg's metrics
    (:data:`GREATER_KEYS`, :data:`LESS_KEYS`: ``reg/mse``, ``reg/rmse``, ``reg/mae`` are
    better lower, correlations higher); a metric whose rule cannot be inferred is a
    :class:`~vidreg.config.ConfigError` saying to set ``rule``.
    Arguments are those of :class:`mmengine.hooks.CheckpointHook`.
    """

    _default_greater_keys = list(GREATER_KEYS)
    _default_less_keys = list(LESS_KEYS)

    def _init_rule(self, rules, key_indicators) -> None:
        try:
            super()._init_rule(rules, key_indicators)
        except (KeyError, ValueError) as error:
            raise ConfigError(
                f'default_hooks.checkpoint: {error.args[0]} Set its rule to \'greater\' or '
                f'\'less\' (--cfg-options default_hooks.checkpoint.rule=less), or save_best to '
                f'another metric (save_best=None keeps no best checkpoint).') from None

    def _save_best_checkpoint(self, runner, metrics) -> None:
        missing = [key for key in getattr(self, 'key_indicators', ())
                   if key != 'auto' and key not in metrics]
        if self.save_best and metrics and missing:
            raise ConfigError(
                f'default_hooks.checkpoint.save_best names {", ".join(map(repr, missing))}, '
                f'which validation does not report; it reports {", ".join(metrics)} (e.g. '
                f'--cfg-options default_hooks.checkpoint.save_best={next(iter(metrics))}). The '
                f'checkpoints saved so far are kept.')
        super()._save_best_checkpoint(runner, metrics)

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if is_main_process():
            for path in self._remove_stale_files(runner):
                runner.logger.warning(f'Removed {path}, a partial file left by a run that '
                                      f'stopped while writing it.')
        if not self._validation_missed(runner):
            return
        runner.logger.warning(
            f'The checkpoint resumed from was saved before epoch {runner.epoch} was validated '
            f'(the run stopped while saving): validating epoch {runner.epoch} again.')
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     self.filename_tmpl.format(runner.epoch))
        runner.val_loop.run()
        if is_main_process():
            self._remove_unnamed_best(runner)

    def after_val_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        runner.message_hub.update_info(VALIDATED_EPOCH_KEY, runner.epoch)
        best_before = runner.message_hub.get_info('best_score')
        super().after_val_epoch(runner, metrics)
        rewritten = runner.message_hub.get_info('best_score') != best_before  # mmengine did it
        expected = self.file_backend.join_path(self.out_dir,
                                               self.filename_tmpl.format(runner.epoch))
        if self.by_epoch and not rewritten and self.last_ckpt == expected:
            self._save_checkpoint_with_step(runner, runner.epoch,
                                            meta=dict(epoch=runner.epoch, iter=runner.iter))

    def _remove_stale_files(self, runner) -> list:
        removed = []
        for folder in sorted({self.out_dir, runner.work_dir}):
            removed += remove_stale_temps(folder)
            if osp.isdir(folder):  # earlier versions wrote '<name>.pth.tmp'
                for name in sorted(os.listdir(folder)):
                    if re.fullmatch(r'.+\.pth\.tmp', name):
                        os.remove(osp.join(folder, name))
                        removed.append(osp.join(folder, name))
        return removed

    def _validation_missed(self, runner) -> bool:
        """A resumed epoch-based run whose last epoch was due for validation but has none."""
        loop, epoch = runner.train_loop, runner.epoch
        if not self.by_epoch or epoch == 0 or not isinstance(runner.val_loop, BaseLoop):
            return False
        interval = getattr(loop, 'val_interval', 1)
        due = epoch >= getattr(loop, 'val_begin', 1) and (
            epoch % interval == 0 or epoch == getattr(loop, 'max_epochs', epoch))
        return due and runner.message_hub.get_info(VALIDATED_EPOCH_KEY, 0) < epoch

    def _remove_unnamed_best(self, runner) -> None:
        named = {osp.basename(str(v)) for k, v in runner.message_hub.runtime_info.items()
                 if k.startswith('best_ckpt') and v}
        if not any(osp.isfile(osp.join(self.out_dir, name)) for name in named):
            return  # never leave the run without a best checkpoint
        for name in sorted(os.listdir(self.out_dir)):
            if re.fullmatch(r'best_.+\.pth', name) and name not in named:
                os.remove(osp.join(self.out_dir, name))
                runner.logger.warning(f'Removed {name}: the run stopped before it could replace '
                                      f'it; the best checkpoint is now {sorted(named)[0]}.')
