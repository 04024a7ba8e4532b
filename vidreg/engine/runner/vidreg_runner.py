"""mmengine's Runner: atomic, checksummed checkpoints; safe, strict loading; a quiet console;
the resolved config."""
import contextlib
import io
import logging
import os
import os.path as osp
import re
from typing import Iterator, Optional, Union

import torch
from mmengine.dist import is_main_process, master_only
from mmengine.logging import MMLogger, print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop, Runner, find_latest_checkpoint
from rich import get_console
from torch import nn
from torch.utils.data import DataLoader

from vidreg.config import resolved_config_text
from vidreg.config_upgrade import upgrade_checkpoint
from vidreg.engine.optim import regroup_saved_state
from vidreg.fileio import atomic_path
from vidreg.models.build_model import DATALOADERS, build_model
from vidreg.registry import RUNNERS
from vidreg.utils.checkpoint import (
    CHECKSUM_KEY,
    CheckpointError,
    allow_mmengine_checkpoint_types,
    compare_state_dicts,
    complete_state_dict,
    load_checkpoint_file,
    state_dict_checksum,
    use_safe_loader_for_mmengine,
)
from vidreg.utils.loader_worker_init import LoaderWorkerInit
from vidreg.utils.task_check import check_labels_fit_head

from .process_count_change import PROCESS_COUNT_KEYS, map_resumed_position

# mmengine's notices about its own deprecated internals, raised by its hooks on every run; a
# user can do nothing about them, so they go to the log file only.
_MMENGINE_INTERNAL_NOTICES = ('"FileClient" will be deprecated',
                              '"HardDiskBackend" is the alias of "LocalBackend"')


def _console_level(name: str) -> int:
    level = logging.getLevelName(str(name).upper())
    if not isinstance(level, int):
        raise ValueError(f"console_log_level must be 'DEBUG', 'INFO', 'WARNING' or 'ERROR', got "
                         f'{name!r}; set it in the config or with --cfg-options.')
    return level


def _hide_internal_notices(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(_MMENGINE_INTERNAL_NOTICES)


def _say(text: str) -> None:
    """A line on the console (main process only), beside the progress bars."""
    if is_main_process():
        get_console().print(text, markup=False, highlight=False, soft_wrap=True)


def default_num_workers(cap: int = 4) -> int:
    """DataLoader workers for this machine: one per CPU core available to the process, at most
    ``cap`` (more workers than cores makes torch warn every epoch and slows loading down)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cap, cores))


@RUNNERS.register_module()
class VidregRunner(Runner):
    """Runner whose checkpoints are never half-written, wrong or unsafe to load.

    - ``save_checkpoint`` writes through :func:`vidreg.utils.atomic_path` (a temporary
      sibling, then a rename; removed on failure, a full disk named in one line), so a
      kill mid-write keeps the previous checkpoint intact and ``last_checkpoint`` never
      points at a truncated file. Each checkpoint stores the sha256 of its state dict
      (``state_dict_sha256``), checked whenever it is loaded.
    - Every load (``--resume``, ``load_from``, ``tools/test.py``) goes through
      :func:`vidreg.utils.load_checkpoint_file` (``weights_only=True`` whatever the
      environment says).
    - Loaded weights must fit the model exactly: a missing, unexpected or differently
      shaped tensor stops the run with the keys named, before the optimizer state is
      touched. The config key ``partial_load = True`` lets ``load_from`` (fine-tuning,
      testing) load the tensors that fit and log the rest; resuming is always exact.
    - Data loaders draw their workers' base seed from a generator of their own, not from
      the global torch RNG: a persistent-worker loader draws it once per run and a
      fresh one once per epoch, and either way the training RNG (dropout) must not
      depend on when the loader was created (exact resume with persistent workers).
    - The console shows log messages from the config's ``console_log_level`` up
      (default ``'WARNING'``); the hooks print progress bars, per-epoch metrics and the
      summary. The full log (environment, config, hook order, every log line) goes to
      ``<work_dir>/<timestamp>/<timestamp>.log`` at ``log_level``.
    - The config written to the work dir is the resolved one
      (:func:`vidreg.config.resolved_config_text`).
    - ``init_weights()`` (which loads backbones' ``pretrained`` weights) runs only when
      training starts from scratch: not when resuming, nor when ``load_from`` names a
      checkpoint that holds every weight of the model (a fine-tuning checkpoint that lacks
      some keys still gets them from ``init_weights()``). mmengine's Runner calls it
      before every training run and then overwrites the weights with the checkpoint, so a
      missing pretrained file would stop a run that never uses it.
    - ``ema_momentum`` (a config key, > 0) adds mmengine's ``EMAHook``: validation,
      checkpoints and resume use an exponential moving average of the weights.
    - The model is built from the modality specs its dataloaders' pipelines declare
      (:func:`vidreg.models.build_model`): backbones' ``in_channels`` and the data
      preprocessor's statistics follow the data.
    - A dataloader with ``num_workers=None`` (the dataset fragments' default) gets
      :func:`default_num_workers`. Its workers end with the main process, even when that is
      killed, and each computes on one thread
      (:class:`~vidreg.utils.loader_worker_init.LoaderWorkerInit`).
    - A run that stops on an exception (Ctrl-C, a divergence, a full disk) first closes what
      runs beside it: the hooks' ``close()`` (live progress bars and their refresh threads)
      and the visualizer's writers (TensorBoard's writer thread). Left running, such threads
      could hold a file's lock while the interpreter shuts down, which aborts the process
      (exit code -6 instead of the tool's own). A training run then tells the hooks that
      have an ``after_train_stopped(runner, error)`` method (the summary of the epochs done,
      :class:`~vidreg.engine.hooks.TrainSummaryHook`); a failure there is logged and never
      hides the error.
    """

    _resuming = False
    _resumed_meta: dict = {}
    _loading: Optional[str] = None

    def register_hooks(self, default_hooks=None, custom_hooks=None) -> None:
        """The config's hooks, plus mmengine's ``EMAHook`` when the config key
        ``ema_momentum`` is above 0 (the fine-tuning schedule's knob, see
        :meth:`ema_hook`)."""
        ema = self.ema_hook(self.cfg.get('ema_momentum'))
        super().register_hooks(default_hooks, [*(custom_hooks or []), *ema])

    @staticmethod
    def ema_hook(momentum) -> list:
        """``[EMAHook config]`` for an exponential moving average of the weights, or ``[]``.

        mmengine's ``EMAHook`` updates the average after every optimizer step
        (``averaged = (1 - momentum) * averaged + momentum * weights``), validates and tests
        with it, saves it as the checkpoint's ``state_dict`` (so ``tools/test.py``, inference
        and export use it; the raw weights go under ``ema_state_dict``) and restores both on
        resume.

        Raises:
            ValueError: ``momentum`` is not a number in [0, 1) (0 or ``None``: no EMA).
        """
        if momentum is None or momentum == 0:
            return []
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) \
                or not 0 < momentum < 1:
            raise ValueError(f'ema_momentum must be in [0, 1) (0: no EMA of the weights), got '
                             f'{momentum!r}; e.g. --cfg-options ema_momentum=0.0002.')
        return [dict(type='EMAHook', momentum=float(momentum), priority='NORMAL')]

    def train(self) -> torch.nn.Module:  # noqa: D102
        try:
            with self._closed_on_failure():
                return super().train()
        except BaseException as error:
            self._tell_hooks_training_stopped(error)
            raise

    def _tell_hooks_training_stopped(self, error: BaseException) -> None:
        for hook in self.hooks:
            stopped = getattr(hook, 'after_train_stopped', None)
            if not callable(stopped):
                continue
            try:
                stopped(self, error)
            except Exception as failure:  # e.g. the disk that stopped the run is still full
                print_log(f'{type(hook).__name__} could not record the stopped run: {failure}',
                          logger=self.logger, level=logging.WARNING)

    def val(self) -> dict:  # noqa: D102
        with self._closed_on_failure():
            return super().val()

    def test(self) -> dict:  # noqa: D102
        with self._closed_on_failure():
            return super().test()

    @contextlib.contextmanager
    def _closed_on_failure(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            for hook in self.hooks:
                if callable(getattr(hook, 'close', None)):
                    hook.close()
            self.visualizer.close()
            raise

    @staticmethod
    def build_dataloader(dataloader, seed: Optional[int] = None,
                         diff_rank_seed: bool = False) -> DataLoader:  # noqa: D102
        if isinstance(dataloader, dict) and dataloader.get('num_workers', 0) is None:
            workers = default_num_workers()
            print_log(f'num_workers=None: {workers} DataLoader workers (one per CPU core '
                      f'available, at most 4).', logger='current')
            dataloader = {**dataloader, 'num_workers': workers}
        loader = Runner.build_dataloader(dataloader, seed=seed, diff_rank_seed=diff_rank_seed)
        if isinstance(loader, DataLoader) and loader.generator is None:
            loader.generator = torch.Generator().manual_seed(seed if seed is not None else 0)
        if isinstance(loader, DataLoader) and loader.num_workers > 0:
            loader.worker_init_fn = LoaderWorkerInit(loader.worker_init_fn)
        return loader

    def build_model(self, model: Union[nn.Module, dict]) -> nn.Module:  # noqa: D102
        if isinstance(model, dict):
            loaders = {name: getattr(self, f'_{name}', None) for name in DATALOADERS}
            model = build_model(dict(loaders, model=model))
        return super().build_model(model)

    def build_logger(self, log_level: Union[int, str] = 'INFO', log_file: Optional[str] = None,
                     **kwargs) -> MMLogger:  # noqa: D102
        logger = super().build_logger(log_level=log_level, log_file=log_file, **kwargs)
        console_level = _console_level(self.cfg.get('console_log_level', 'WARNING'))
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:  # the console (FileHandler subclasses it)
                handler.setLevel(max(handler.level, console_level))
                if _hide_internal_notices not in handler.filters:
                    handler.addFilter(_hide_internal_notices)
        _say(f'full log: {log_file or osp.join(self.log_dir, f"{self.timestamp}.log")}')
        return logger

    def load_or_resume(self) -> None:  # noqa: D102
        allow_mmengine_checkpoint_types()
        use_safe_loader_for_mmengine()
        super().load_or_resume()

    def resume(self, filename: str, *args, **kwargs) -> None:  # noqa: D102
        self._resuming, self._resumed_meta = True, {}
        try:
            super().resume(filename, *args, **kwargs)
        finally:
            self._resuming = False
        mapping = map_resumed_position(self, self._resumed_meta)
        _say(f'resumed from {filename}: epoch {self.epoch}, iteration {self.iter}')
        if mapping:
            self.logger.info(mapping)
            _say(mapping)

    def load_checkpoint(self, filename: str, *args, **kwargs) -> dict:
        """Load ``filename`` as mmengine does; what mmengine ``print()``s meanwhile goes to
        the log: its "Loads checkpoint by ... backend" line to the file only, anything else
        also to the console as a warning."""
        self._loading = filename
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                return super().load_checkpoint(filename, *args, **kwargs)
        finally:
            self._loading = None
            for line in printed.getvalue().splitlines():
                if line.strip():
                    level = (logging.INFO if line.startswith('Loads checkpoint by')
                             else logging.WARNING)
                    print_log(line, logger=self.logger, level=level)

    def call_hook(self, fn_name: str, **kwargs) -> None:
        """Run the hooks; then check loaded weights or stamp the checksum on saved ones.

        Before training (or testing) starts, the class labels of the loops' datasets must
        have outputs in the head (:func:`~vidreg.utils.task_check.check_labels_fit_head`).
        """
        loops = {'before_train': ('train', 'val'), 'before_test': ('test',)}.get(fn_name, ())
        for name in loops:
            loop = getattr(self, f'_{name}_loop', None)
            if isinstance(loop, BaseLoop):  # built (not a config dict or None)
                check_labels_fit_head(self.cfg, loop.dataloader.dataset, f'{name}_dataloader')
        if fn_name == 'before_train':
            self._warn_accumulation_across_epochs()
        if fn_name == 'after_load_checkpoint':  # keys of older vidreg versions, renamed
            upgrade_checkpoint(kwargs['checkpoint'])
            if self._resuming:
                self._regroup_optimizer_state(kwargs['checkpoint'])
        super().call_hook(fn_name, **kwargs)
        if fn_name == 'after_load_checkpoint':
            self._check_loaded_weights(kwargs['checkpoint'])
            if self._resuming:
                self._resumed_meta = kwargs['checkpoint'].get('meta', {})
        elif fn_name == 'before_save_checkpoint':
            checkpoint = kwargs['checkpoint']
            checkpoint[CHECKSUM_KEY] = state_dict_checksum(checkpoint['state_dict'])
            if isinstance(self._train_loop, BaseLoop):  # for a resume with other processes
                checkpoint.setdefault('meta', {}).update(
                    zip(PROCESS_COUNT_KEYS, (self.world_size, len(self.train_dataloader))))

    def _regroup_optimizer_state(self, checkpoint: dict) -> None:
        """An optimizer state saved with a group per parameter (the fine-tuning recipe before
        it merged equal groups) is fitted to today's merged groups before it is loaded."""
        saved = checkpoint.get('optimizer')
        optimizer = getattr(self.optim_wrapper, 'optimizer', None)  # built before resuming
        if isinstance(saved, dict) and optimizer is not None \
                and regroup_saved_state(saved, optimizer.param_groups):
            self.logger.info(f'The optimizer state of {self._loading!r} has a group per '
                             f'parameter; merged into the {len(optimizer.param_groups)} groups '
                             f'of equal settings.')

    def _warn_accumulation_across_epochs(self) -> None:
        """Gradient accumulation whose window spans an epoch's end cannot resume exactly: the
        checkpoint saved after the epoch holds no gradients. Say so once, in one line."""
        counts = getattr(self.optim_wrapper, '_accumulative_counts', 1)
        iterations = len(self.train_dataloader)
        if counts > 1 and iterations % counts:
            print_log(f'accumulative_counts={counts} does not divide the {iterations} '
                      f'iterations of an epoch: the gradients of the last {iterations % counts} '
                      f'iterations of an epoch are carried into the next, and a resumed run '
                      f'loses them (choose batch_size or accumulative_counts so that it '
                      f'divides, for exact resume).', logger='current', level=logging.WARNING)

    def _check_loaded_weights(self, checkpoint: dict) -> None:
        partial = bool(self.cfg.get('partial_load', False)) and not self._resuming
        if partial:
            return
        state_dict = checkpoint.get('state_dict', checkpoint)
        if state_dict and all(k.startswith('module.') for k in state_dict):
            state_dict = {k[len('module.'):]: v for k, v in state_dict.items()}
        model = self.model.module if is_model_wrapper(self.model) else self.model
        complete_state_dict(model, state_dict)  # e.g. target statistics older heads lacked
        differences = compare_state_dicts(model.state_dict(), state_dict)
        if differences:
            what = 'resumed from' if self._resuming else 'loaded'
            raise CheckpointError(
                f'The checkpoint {what} ({self._loading!r}) does not fit the model of this config '
                f'({type(model).__name__}): {differences.describe()}. Use the config it was '
                f'trained with' + ('.' if self._resuming else
                                   ', or set partial_load=True (--cfg-options partial_load=True) '
                                   'to load only the tensors that fit, e.g. to fine-tune.'))

    @master_only
    def dump_config(self) -> None:
        """Write the resolved config to ``<work_dir>/<config file name>``."""
        name = osp.basename(self.cfg.filename) if self.cfg.filename else f'{self.timestamp}.py'
        with open(osp.join(self.work_dir, name), 'w', encoding='utf-8') as f:
            f.write(resolved_config_text(self.cfg))

    @master_only
    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:  # noqa: D102
        with atomic_path(osp.join(out_dir, filename)) as tmp:
            super().save_checkpoint(out_dir, osp.basename(tmp), *args, **kwargs)

    def _init_model_weights(self) -> None:
        checkpoint = self._checkpoint_with_every_weight()
        if checkpoint is None:
            super()._init_model_weights()
        else:
            self.logger.info(f'init_weights() skipped (no pretrained file read): every weight '
                             f'comes from {checkpoint!r}.')

    def _checkpoint_with_every_weight(self) -> Optional[str]:
        """The checkpoint that load_or_resume() loads next, if it overwrites every weight."""
        if self._resume:  # this run's own checkpoint: same model, every weight
            return self._load_from or find_latest_checkpoint(self.work_dir)
        if self._load_from is None:
            return None
        checkpoint = upgrade_checkpoint(load_checkpoint_file(self._load_from))
        state_dict = checkpoint.get('state_dict', checkpoint)
        weights = {re.sub(r'^module\.', '', key): value  # as load_checkpoint
                   for key, value in state_dict.items()}
        model = self.model.module if is_model_wrapper(self.model) else self.model
        complete_state_dict(model, weights)
        return self._load_from if set(weights).issuperset(model.state_dict()) else None
