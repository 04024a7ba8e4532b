"""Evaluate a checkpoint on a config's test (or validation) set, as ``tools/test.py`` does."""
import os.path as osp
from typing import Literal, Optional, Sequence

from vidreg.config import ConfigError
from vidreg.datasets import check_data_roots
from vidreg.engine.entrypoint import build_runner, load_run_config
from vidreg.engine.metrics_report import print_test_report
from vidreg.utils import load_checkpoint_file

__all__ = ['evaluate_checkpoint']


def evaluate_checkpoint(config: str, checkpoint: str, *, split: Literal['test', 'val'] = 'test',
                        dump: Optional[str] = None, work_dir: Optional[str] = None,
                        cfg_options: Optional[dict] = None, plugins: Sequence[str] = (),
                        launcher: str = 'none') -> dict:
    """Test ``checkpoint`` with ``config``'s test dataloader and evaluator; print the report.

    Args:
        config: The config the checkpoint was trained with.
        checkpoint: A ``.pth`` file (e.g. ``work_dirs/<config>/best_*.pth``).
        split: ``'val'`` evaluates the validation set as training did.
        dump: Also write one row per video (path, label, prediction, scores) to this CSV.
        work_dir, cfg_options, plugins, launcher: As for
            :func:`vidreg.engine.entrypoint.load_run_config`.

    Returns:
        The metrics.

    Raises:
        ConfigError: The config is unusable, or the arguments come in the wrong order (a
            ``.py`` file given as the checkpoint).
        CheckpointError: The checkpoint is missing or broken.
    """
    if checkpoint.endswith('.py') and not config.endswith('.py'):
        raise ConfigError(f'the config comes first: python tools/test.py CONFIG CHECKPOINT, here '
                          f'python tools/test.py {checkpoint} {config} (the .py file was given '
                          f'as the checkpoint).')
    cfg = load_run_config(config, cfg_options=cfg_options, plugins=plugins, work_dir=work_dir,
                          launcher=launcher)
    load_checkpoint_file(checkpoint)  # a clear error for a missing or broken file
    cfg.load_from, cfg.resume = checkpoint, False
    if split == 'val':
        cfg.test_dataloader, cfg.test_evaluator = cfg.val_dataloader, cfg.val_evaluator
    check_data_roots(cfg, ('test_dataloader',))
    if dump:
        evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [
            cfg.test_evaluator]
        cfg.test_evaluator = [*evaluators, dict(type='DumpPredictions',
                                                out_file=osp.abspath(dump))]
    runner = build_runner(cfg)
    metrics = runner.test()
    print_test_report(runner, metrics, dump_file=dump)
    return metrics
