"""Count the samples skipped at runtime and those from truncated videos; report per epoch."""
from typing import Dict, List, Optional, Set, Tuple

from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook

from vidreg.datasets.video_collate import is_empty_batch
from vidreg.registry import HOOKS


@HOOKS.register_module()
class SkippedSamplesHook(Hook):
    """Report, at the end of each train/val/test epoch, the samples the data could not serve.

    Reads what :func:`vidreg.datasets.video_collate` puts in each batch, sums it over all
    ranks and logs one warning per epoch and kind:

    - ``'skipped'`` (``(path, reason)`` pairs): samples that failed to decode and were
      dropped (``on_bad_sample='warn_skip'``), and the batches left empty by them, which
      the loops skipped. Logged as the scalar ``train/skipped_samples``.
    - ``'truncated'`` (``(path, header count, real count)``): samples of videos that end
      before the frame count in their header, whose clips repeat the last real frame. Each
      such video is also named once per run, with its real count. Logged as the scalar
      ``train/truncated_samples``.

    Nothing is reported for an epoch without either.

    Args:
        max_listed: At most this many distinct files are named per report.
    """

    priority = 'LOW'

    def __init__(self, max_listed: int = 10) -> None:
        self.max_listed = max_listed
        self._skipped: Dict[str, List[Tuple[str, str]]] = dict(train=[], val=[], test=[])
        self._truncated: Dict[str, List[Tuple[str, int, int]]] = dict(train=[], val=[], test=[])
        self._empty: Dict[str, int] = dict(train=0, val=0, test=0)
        self._named_truncated: Set[str] = set()

    def _collect(self, mode: str, data_batch: Optional[dict]) -> None:
        if not isinstance(data_batch, dict):
            return
        self._skipped[mode].extend(data_batch.get('skipped') or [])
        self._truncated[mode].extend(data_batch.get('truncated') or [])
        self._empty[mode] += is_empty_batch(data_batch)

    def _report(self, runner, mode: str) -> None:
        gathered = all_gather_object((self._skipped[mode], self._truncated[mode],
                                      self._empty[mode]))
        self._skipped[mode], self._truncated[mode], self._empty[mode] = [], [], 0
        skipped = [item for part in gathered for item in part[0]]
        truncated = [tuple(item) for part in gathered for item in part[1]]
        empty = sum(part[2] for part in gathered)
        if mode == 'train':
            runner.message_hub.update_scalar('train/skipped_samples', len(skipped))
            runner.message_hub.update_scalar('train/truncated_samples', len(truncated))
        if not is_main_process() or not (skipped or truncated):
            return
        # runner.epoch would build the train loop (and its dataset, on this rank only) in a
        # test run: test epochs are not numbered.
        epoch = 'test' if mode == 'test' else f'{mode} epoch {runner.epoch + (mode == "train")}'
        if skipped:
            files = sorted({path: reason for path, reason in skipped}.items())
            batches = f' {empty} batches held no usable sample and were skipped.' \
                if empty else ''
            runner.logger.warning(
                f'{epoch}: skipped {len(skipped)} samples that failed to decode '
                f'({len(files)} files, on_bad_sample="warn_skip").{batches}\n  '
                f'{self._listing(f"{path}: {reason}" for path, reason in files)}\n'
                f'Run tools/check_data.py CONFIG to list every bad file.')
        if truncated:
            videos = sorted(set(truncated))
            for path, header, real in videos:
                if path not in self._named_truncated:
                    self._named_truncated.add(path)
                    runner.logger.warning(
                        f'{path} is truncated: its header says {header} frames but only {real} '
                        f'decode; clips reaching past frame {real} repeat its last frame. '
                        f'Re-encode or replace it (tools/check_data.py CONFIG lists them all).')
            runner.logger.warning(
                f'{epoch}: {len(truncated)} samples came from {len(videos)} '
                f'truncated videos (clips padded with their last real frame):\n  '
                f'{self._listing(f"{p}: {r} of {h} frames" for p, h, r in videos)}')

    def _listing(self, lines) -> str:
        lines = list(lines)
        more = f'\n  ... and {len(lines) - self.max_listed} more' \
            if len(lines) > self.max_listed else ''
        return '\n  '.join(lines[:self.max_listed]) + more

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
