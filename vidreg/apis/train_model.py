"""Train a model from a config, as ``tools/train.py`` does: a checked config, one run per work
dir, advice on how to continue a run that stopped."""
from typing import Optional, Sequence

import torch

from vidreg.config import ConfigError
from vidreg.datasets import check_data_roots
from vidreg.engine.entrypoint import build_runner, load_run_config
from vidreg.engine.resume_hint import interrupted_by_user, stopped_run_advice
from vidreg.engine.work_dir_claim import claim_work_dir
from vidreg.utils import NoSpaceError, find_resume_checkpoint

__all__ = ['train_model']


def train_model(config: str, *, work_dir: Optional[str] = None,
                cfg_options: Optional[dict] = None, plugins: Sequence[str] = (),
                launcher: str = 'none', resume: Optional[str] = None, overwrite: bool = False,
                amp: bool = False) -> None:
    """Train ``config`` into its work dir.

    Args:
        config: The config file (e.g. ``configs/demo/restcn_synthetic.py``).
        work_dir: Where logs and checkpoints go (default: ``work_dirs/<config name>``).
        cfg_options: Config overrides, as ``--cfg-options`` gives them.
        plugins: Plugins to load first (``--plugin``).
        launcher: ``'none'`` or the distributed launcher (``tools/dist_train.sh``: ``'pytorch'``).
        resume: Continue a stopped run: ``'auto'`` (the work dir's latest checkpoint), a
            folder or a checkpoint file.
        overwrite: Train from scratch into a work dir that holds a run (its checkpoints, logs
            and summary are removed first); without it or ``resume`` such a work dir is refused.
        amp: fp16 mixed precision on a GPU (``AutocastOptimWrapper(dtype='float16')``,
            dynamic loss scale); on the CPU a clear error (bf16 is ``precision='bfloat16'``).

    Raises:
        KeyboardInterrupt: Ctrl-C; its text says how to continue the run.
        NoSpaceError: The disk filled up; the text says how to continue after freeing space.
        ConfigError, DatasetError, CheckpointError, WorkDirError: Bad input, named in the
            message, found before anything is built where it can be.
    """
    cfg = load_run_config(config, cfg_options=cfg_options, plugins=plugins, work_dir=work_dir,
                          launcher=launcher)
    check_data_roots(cfg, ('train_dataloader', 'val_dataloader'))
    if resume:  # a clear error now rather than deep in the Runner, or training from scratch
        checkpoint = find_resume_checkpoint(None if resume == 'auto' else resume, cfg.work_dir)
        cfg.resume, cfg.load_from = True, checkpoint
    if amp:
        if not torch.cuda.is_available():
            raise ConfigError("--amp (fp16) needs a GPU; on the CPU train in bf16 with "
                              "--cfg-options optim_wrapper.type=AutocastOptimWrapper "
                              "optim_wrapper.dtype=bfloat16 (the fine-tuning schedule's "
                              "precision knob).")
        cfg.optim_wrapper.type = 'AutocastOptimWrapper'
        cfg.optim_wrapper.dtype = 'float16'
    lock = claim_work_dir(cfg, resume=bool(resume), overwrite=overwrite)
    try:
        build_runner(cfg).train()
    except BaseException as error:
        if interrupted_by_user(error):
            raise KeyboardInterrupt(f'interrupted (Ctrl-C); '
                                    f'{stopped_run_advice(cfg.work_dir, launcher)}') from None
        if isinstance(error, NoSpaceError):
            what = error.strerror.split('; free some space')[0]
            raise NoSpaceError(error.errno, f'{what}; free some space, then '
                               f'{stopped_run_advice(cfg.work_dir, launcher)}') from error
        raise
    finally:
        if lock is not None:
            lock.release()
