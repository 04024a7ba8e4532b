"""Rich progress bars for training, validation and test epochs."""
from typing import Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from rich import get_console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from vidreg.registry import HOOKS


@HOOKS.register_module()
class RichProgressHook(Hook):
    """One progress bar per epoch (train, val, test) on the main process.

    The training bar shows the running mean of the loss; after each validation one line
    gives the epoch's metrics (the validation loss included). In a terminal the bars
    are redrawn after each iteration (no refresh thread runs beside training: a thread
    alive when a stopped run's interpreter shuts down can abort it); in a log file rich
    prints them once when they finish.
    """

    priority = 'BELOW_NORMAL'

    def __init__(self) -> None:
        self._progress: Optional[Progress] = None
        self._task: Optional[TaskID] = None
        self._loss_sum, self._loss_count = 0.0, 0

    def _start(self, description: str, total: int) -> None:
        if not is_main_process():
            return
        self._progress = Progress(TextColumn('[bold]{task.description}'), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                                  TextColumn('{task.fields[status]}'), transient=False,
                                  auto_refresh=False)  # no refresh thread: redrawn per iteration
        self._progress.start()
        self._task = self._progress.add_task(description, total=total, status='')
        self._loss_sum, self._loss_count = 0.0, 0

    def _advance(self, status: str = '') -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, status=status)
            self._progress.refresh()

    def close(self) -> None:
        """Stop the live bar (and its refresh thread); the runner calls it when a run fails."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def before_train_epoch(self, runner) -> None:
        self._start(f'train epoch {runner.epoch + 1}/{runner.max_epochs}',
                    len(runner.train_dataloader))

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if outputs and 'loss' in outputs:
            self._loss_sum += outputs['loss'].detach().item()
            self._loss_count += 1
        status = f'loss {self._loss_sum / self._loss_count:.4f}' if self._loss_count else ''
        self._advance(status)

    def after_train_epoch(self, runner) -> None:
        self.close()

    def before_val_epoch(self, runner) -> None:
        self._start('validate', len(runner.val_dataloader))

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._advance()

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.close()
        if metrics and is_main_process():
            # The epoch's metrics in one line (the log file has mmengine's own line).
            values = '  '.join(f'{key} {value:.4f}' for key, value in metrics.items()
                               if isinstance(value, (int, float)))
            get_console().print(f'epoch {runner.epoch} val: {values}', markup=False,
                                highlight=False, soft_wrap=True)

    def before_test_epoch(self, runner) -> None:
        self._start('test', len(runner.test_dataloader))

    def after_test_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._advance()

    def after_test_epoch(self, runner, metrics=None) -> None:
        self.close()
