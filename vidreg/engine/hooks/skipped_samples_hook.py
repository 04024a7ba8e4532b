"""Count the samples skipped at runtime (``on_bad_sample='warn_skip'``) and report per epoch."""
from typing import Dict, List, Optional, Tuple

from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook

from vidreg.registry import HOOKS


@HOOKS.register_module()
class SkippedSamplesHook(Hook):
    """Report, at the end of each train/val/test epoch, how many samples failed to decode.

    Reads the ``'skipped'`` list (``(path, reason)`` pairs) that
    :func:`vidreg.datasets.video_collate` puts in each batch, sums it
    over all ranks and logs one warning per epoch naming the count and the files. The
    train count is also logged as the scalar ``train/skipped_samples``. Nothing is
    reported when no sample was skipped.

    Args:
        max_listed: At most this many distinct files are named per report.
    """

    priority = 'LOW'

    def __init__(self, max_listed: int = 10) -> None:
        self.max_listed = max_listed
        self._skipped: Dict[str, List[Tuple[str, str]]] = dict(train=[], val=[], test=[])

    def _collect(self, mode: str, data_batch: Optional[dict]) -> None:
        if isinstance(data_batch, dict) and data_batch.get('skipped'):
            self._skipped[mode].extend(data_batch['skipped'])

    def _report(self, runner, mode: str) -> None:
        gathered = all_gather_object(self._skipped[mode])
        self._skipped[mode] = []
        skipped = [item for part in gathered for item in part]
        if mode == 'train':
            runner.message_hub.update_scalar('train/skipped_samples', len(skipped))
        if not skipped or not is_main_process():
            return
        files = sorted({path: reason for path, reason in skipped}.items())
        listed = '\n  '.join(f'{path}: {reason}' for path, reason in files[:self.max_listed])
        more = f'\n  ... and {len(files) - self.max_listed} more' \
            if len(files) > self.max_listed else ''
        runner.logger.warning(
            f'{mode} epoch {runner.epoch + (mode == "train")}: skipped {len(skipped)} samples '
            f'that failed to decode ({len(files)} files, on_bad_sample="warn_skip"):\n  '
            f'{listed}{more}\nRun tools/check_data.py CONFIG to list every bad file.')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._collect('train', data_batch)

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._collect('val', data_batch)

    def after_test_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._collect('test', data_batch)

    def after_train_epoch(self, runner) -> None:
        self._report(runner, 'train')

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._report(runner, 'val')

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._report(runner, 'test')
