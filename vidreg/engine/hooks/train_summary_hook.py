"""End-of-training summary: a table, ``summary.json`` and ``curves.png`` in the work dir."""
import json
import math
import os.path as osp
from typing import Dict, List, Optional, Tuple

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook, Hook
from rich.console import Console
from rich.table import Table

from vidreg.engine.resume_hint import interrupted_by_user
from vidreg.evaluation.plots import save_training_curves_png
from vidreg.fileio import atomic_open
from vidreg.registry import HOOKS

from .checkpoint_after_val_hook import infer_rule

HISTORY_KEY = 'vidreg_history'


@HOOKS.register_module()
class TrainSummaryHook(Hook):
    """Records train loss and validation metrics per epoch and summarises the run.

    ``curves.png`` shows the training and validation losses side by side, and the other
    validation metrics beside them (:func:`vidreg.evaluation.save_training_curves_png`).

    The history lives in the message hub, so it is saved in checkpoints and a
    resumed run's summary covers the whole run.

    A run that stops early (a divergence, Ctrl-C, an error) gets the same summary of the
    epochs it finished, with ``stopped`` set to the reason in one line (``None`` for a run
    that ended); a resumed run that ends rewrites it.
    """

    priority = 'LOW'

    def __init__(self) -> None:
        self._loss_sum, self._loss_count = 0.0, 0

    def before_train_epoch(self, runner) -> None:
        self._loss_sum, self._loss_count = 0.0, 0

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if outputs and 'loss' in outputs:
            self._loss_sum += outputs['loss'].detach().item()
            self._loss_count += 1

    def after_train_epoch(self, runner) -> None:
        history = self._history(runner)
        # Called before the loop increments its epoch counter: runner.epoch is 0-based here.
        history.append(dict(epoch=runner.epoch + 1,
                            train_loss=self._loss_sum / max(self._loss_count, 1)))
        runner.message_hub.update_info(HISTORY_KEY, history)

    def after_val_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        history = self._history(runner)
        if not history or not metrics:
            return
        history[-1].update({f'val/{k}': float(v) for k, v in metrics.items()
                            if isinstance(v, (int, float))})
        runner.message_hub.update_info(HISTORY_KEY, history)

    def after_train(self, runner) -> None:
        self._summarise(runner, stopped=None)

    def after_train_stopped(self, runner, error: BaseException) -> None:
        """Summarise the finished epochs of a run that ``error`` stopped (called by
        :class:`~vidreg.engine.runner.VidregRunner`)."""
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ''
        if interrupted_by_user(error):  # also when code it interrupted wrapped it
            self._summarise(runner, stopped='interrupted (Ctrl-C)')
        else:
            name = type(error).__name__
            self._summarise(runner, stopped=f'{name}: {reason}' if reason else name)

    def _summarise(self, runner, stopped: Optional[str]) -> None:
        if not is_main_process():
            return
        history = self._history(runner)
        if not history:
            return
        key, rule = self._best_key(runner, history)
        pick = min if rule == 'less' else max
        # An epoch whose metric is NaN or infinite (a diverged model) is never the best.
        best = pick((h for h in history if math.isfinite(h.get(key, math.nan))),
                    key=lambda h: h[key], default=None) if key and rule else None
        summary = dict(work_dir=runner.work_dir, best_metric=key, best_rule=rule,
                       best_epoch=best['epoch'] if best else None,
                       best_metrics={k: v for k, v in (best or {}).items() if k.startswith('val/')},
                       best_checkpoint=runner.message_hub.get_info('best_ckpt'),
                       last_checkpoint=runner.message_hub.get_info('last_ckpt'),
                       stopped=stopped, history=history)
        self._write_json(osp.join(runner.work_dir, 'summary.json'), summary)
        curves = save_training_curves_png(history, osp.join(runner.work_dir, 'curves.png'))
        self._print(summary, curves)

    # ---- helpers -----------------------------------------------------------------------
    @staticmethod
    def _history(runner) -> List[dict]:
        return list(runner.message_hub.get_info(HISTORY_KEY, []))

    @staticmethod
    def _best_key(runner, history: List[dict]) -> Tuple[Optional[str], Optional[str]]:
        """The metric the CheckpointHook selects by (else the first validation metric) and
        its rule ('greater' or 'less'; None when it cannot be told)."""
        for hook in runner.hooks:
            indicators = getattr(hook, 'key_indicators', None)
            if isinstance(hook, CheckpointHook) and indicators and indicators[0] != 'auto':
                rules = getattr(hook, 'rules', None) or [None]
                return f'val/{indicators[0]}', rules[0] or infer_rule(indicators[0])
        keys = [k for k in history[-1] if k.startswith('val/')]
        return (keys[0], infer_rule(keys[0])) if keys else (None, None)

    @staticmethod
    def _write_json(path: str, obj: dict) -> None:
        with atomic_open(path) as f:
            json.dump(obj, f, indent=2)

    @staticmethod
    def _print(summary: dict, curves: Optional[str]) -> None:
        history = summary['history']
        keys = ['train_loss'] + sorted({k for h in history for k in h if k.startswith('val/')})
        stopped = summary['stopped']
        table = Table(title='Training summary' + (
            f" (stopped after epoch {history[-1]['epoch']})" if stopped else ''))
        table.add_column('epoch', justify='right')
        for key in keys:
            table.add_column(key, justify='right')
        for h in history:
            marker = ' *' if h['epoch'] == summary['best_epoch'] else ''
            cells = [f'{h[k]:.4f}' if k in h else '-' for k in keys]
            table.add_row(f"{h['epoch']}{marker}", *cells)
        console = Console()
        console.print(table)
        if summary['best_epoch'] is not None:
            console.print(f"best epoch: {summary['best_epoch']} (by {summary['best_metric']}, "
                          f"{summary['best_rule']} is better; marked *)")
        elif summary['best_metric'] and summary['best_rule']:
            console.print(f"best epoch: none (no epoch has a finite {summary['best_metric']})")
        console.print(f"best checkpoint: {summary['best_checkpoint']}")
        console.print(f"last checkpoint: {summary['last_checkpoint']}")
        if curves:
            console.print(f'curves: {curves}')
        if stopped:
            console.print(f'stopped: {stopped}', highlight=False)
