"""mmengine's Runner: atomic checkpoints, safe loading, a quiet console, the resolved config."""
import logging
import os
import os.path as osp
import re
from typing import Optional, Union

from mmengine.dist import is_main_process, master_only
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner, find_latest_checkpoint
from rich import get_console

from vidreg.config import resolved_config_text
from vidreg.registry import RUNNERS
from vidreg.utils.checkpoint import allow_mmengine_checkpoint_types, load_checkpoint_file

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


@RUNNERS.register_module()
class VidregRunner(Runner):
    """Runner whose checkpoints are never left half-written and whose console stays readable.

    - ``save_checkpoint`` writes ``<name>.tmp`` and renames it onto ``<name>`` only once
      the write has finished, so a kill mid-write keeps the previous checkpoint intact
      and ``last_checkpoint`` never points at a truncated file.
    - Loading (``--resume``, ``load_from``) uses torch's ``weights_only`` mode with the
      allow-list of :func:`allow_mmengine_checkpoint_types`.
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
    """

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

    def load_or_resume(self) -> None:
        allow_mmengine_checkpoint_types()
        if self._resume and self._load_from is None and not self._has_loaded \
                and find_latest_checkpoint(self.work_dir) is None:
            self.logger.warning(f'--resume: no checkpoint in {self.work_dir}; training starts '
                                f'from scratch.')
        super().load_or_resume()

    def resume(self, filename: str, *args, **kwargs) -> None:  # noqa: D102
        super().resume(filename, *args, **kwargs)
        _say(f'resumed from {filename}: epoch {self.epoch}, iteration {self.iter}')

    @master_only
    def dump_config(self) -> None:
        """Write the resolved config to ``<work_dir>/<config file name>``."""
        name = osp.basename(self.cfg.filename) if self.cfg.filename else f'{self.timestamp}.py'
        with open(osp.join(self.work_dir, name), 'w', encoding='utf-8') as f:
            f.write(resolved_config_text(self.cfg))

    @master_only
    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:  # noqa: D102
        tmp_name = f'{filename}.tmp'
        super().save_checkpoint(out_dir, tmp_name, *args, **kwargs)
        tmp_path, final_path = osp.join(out_dir, tmp_name), osp.join(out_dir, filename)
        if osp.exists(tmp_path):
            os.replace(tmp_path, final_path)

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
        checkpoint = load_checkpoint_file(self._load_from)
        state_dict = checkpoint.get('state_dict', checkpoint)
        keys = {re.sub(r'^module\.', '', key) for key in state_dict}  # as load_checkpoint
        model = self.model.module if is_model_wrapper(self.model) else self.model
        return self._load_from if keys.issuperset(model.state_dict()) else None
