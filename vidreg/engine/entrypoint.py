"""What the tools share: arguments, the config as they run it, errors and exit codes."""
import argparse
import importlib.util
import os.path as osp
import sys
import traceback
from typing import Callable, List, Optional, Sequence

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from vidreg.config import ConfigError, load_config
from vidreg.config_arguments import ArgumentsError, check_component_arguments
from vidreg.fileio import OutputPathError
from vidreg.plugins import REPO_ROOT, DuplicateComponentError, PluginError, load_plugins
from vidreg.registry import RUNNERS
from vidreg.utils import CheckpointError, NoSpaceError, print_error, register_all_modules
from vidreg.utils.registry_check import UnknownTypeError, check_config_types
from vidreg.utils.task_check import check_model_task

from .runner import LauncherError, setup_cpu_distributed
from .work_dir_lock import WorkDirError


def add_config_args(parser: argparse.ArgumentParser) -> None:
    """The options that shape the config: ``--work-dir``, ``--cfg-options``, ``--plugin``."""
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='NAME=VALUE',
                        help='override config values; a top-level knob (num_frames=8, '
                        'data_root=/data) reaches every place that uses it')
    parser.add_argument('--plugin', action='append', default=[], metavar='NAME',
                        help='load a plugin before building: plugins/NAME, an installed '
                        "'vidreg.plugins' entry point, or an importable package "
                        '(python -m vidreg plugins lists them)')


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """:func:`add_config_args` and the launcher options of the training and test tools."""
    add_config_args(parser)
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none',
                        help='job launcher (tools/dist_*.sh pass pytorch, tools/slurm_*.sh slurm)')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0,
                        help=argparse.SUPPRESS)


def load_run_config(config: str, *, cfg_options: Optional[dict] = None,
                    plugins: Sequence[str] = (), work_dir: Optional[str] = None,
                    launcher: str = 'none') -> Config:
    """The config as the tools run it: loaded with overrides, plugins imported, checked.

    Args:
        config: The config file.
        cfg_options: ``--cfg-options`` values (a knob such as ``num_frames`` reaches every
            place that uses it).
        plugins: ``--plugin`` names to load before building.
        work_dir: Where logs and checkpoints go; default: the config's ``work_dir``, else
            ``work_dirs/<config name>``.
        launcher: ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.

    Raises:
        ConfigError: The config cannot be loaded, is no complete config, or is inconsistent
            (unknown types, bad arguments, a head that does not fit the data's task).
    """
    if REPO_ROOT not in sys.path:
        sys.path.insert(0, REPO_ROOT)  # `plugins.*` importable without PYTHONPATH
    register_all_modules()
    load_plugins(plugins)
    cfg = load_config(config, dict(cfg_options or {}))
    check_runnable(cfg)
    check_config_types(cfg)
    check_component_arguments(cfg)
    check_model_task(cfg)
    if work_dir:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('work_dirs', osp.splitext(osp.basename(config))[0])
    cfg.launcher = launcher
    setup_cpu_distributed(cfg, launcher)
    _add_tensorboard(cfg)
    return cfg


def prepare_config(args: argparse.Namespace) -> Config:
    """:func:`load_run_config` of a tool's parsed arguments: ``config``, ``cfg_options``,
    ``plugin``, ``work_dir`` (:func:`add_config_args`) and ``launcher`` (``'none'`` if the
    tool has none)."""
    return load_run_config(args.config, cfg_options=args.cfg_options, plugins=args.plugin,
                           work_dir=args.work_dir, launcher=getattr(args, 'launcher', 'none'))


def check_runnable(cfg: Config) -> None:
    """Raise :class:`ConfigError` for a config that defines no ``model``: a ``_base_``
    fragment given as the config, or a file of settings that is no config."""
    if 'model' in cfg:
        return
    raise ConfigError(
        f'{cfg.filename} is not a complete config: it defines no model. A config that the '
        f'tools run defines model = dict(type=...) and takes its runtime, schedule and data '
        f'from the fragments of configs/_base_/ (its _base_ list); a fragment alone is not '
        f'one. Pass a config from configs/ (e.g. configs/demo/restcn_synthetic.py), or write '
        f'one like it.')


def _add_tensorboard(cfg: Config) -> None:
    """Also log to TensorBoard when the config asks (``tensorboard = True``) and it is installed."""
    if not cfg.get('tensorboard') or importlib.util.find_spec('tensorboard') is None:
        return
    backends = cfg.setdefault('visualizer', dict(type='Visualizer')).setdefault('vis_backends', [])
    if not any(b.get('type') == 'TensorboardVisBackend' for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))


def build_runner(cfg: Config) -> Runner:
    return RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg)


def run_cli(main: Callable[[Optional[List[str]]], Optional[int]]) -> None:
    """Run a tool's ``main``; user errors print one clear message and exit with code 2.

    ``main`` returns the exit code (``None``: 0), e.g. 1 when it found problems.

    Ctrl-C prints one line, the text of the ``KeyboardInterrupt`` when the tool gave it one
    (``tools/train.py``: how to continue the run), and exits with code 130 (128 + SIGINT, as
    a shell reports a command it interrupted).
    """
    from vidreg.datasets import DatasetError
    from vidreg.engine.hooks.class_map_hook import ClassMapError
    from vidreg.engine.hooks.divergence_check_hook import TrainingDivergedError
    from vidreg.pipeline.decoders import VideoReadError
    user_errors = (ConfigError, ArgumentsError, DatasetError, CheckpointError, UnknownTypeError,
                   VideoReadError, PluginError, FileNotFoundError, FileExistsError, ClassMapError,
                   NoSpaceError, OutputPathError, WorkDirError, TrainingDivergedError,
                   LauncherError)
    try:
        code = main(None)
        close_process_group()
    except KeyboardInterrupt as interrupt:  # Ctrl-C: one line (the tool's advice), not a trace
        print(str(interrupt) or 'interrupted (Ctrl-C)', file=sys.stderr, flush=True)
        sys.exit(130)
    except user_errors as error:
        if isinstance(error, PluginError) and not isinstance(error, DuplicateComponentError) \
                and error.__cause__ is not None:  # a plugin's own bug: show where it is
            traceback.print_exception(error.__cause__)
        print_error(error)
        sys.exit(2)
    except RuntimeError as error:
        message = worker_failure_message(error)
        if message is None:
            raise
        print_error(message)
        sys.exit(2)
    if code:
        sys.exit(code)


def worker_failure_message(error: BaseException) -> Optional[str]:
    """The user message for a DataLoader worker that died, or ``None`` for other errors.

    torch raises a plain ``RuntimeError`` ("DataLoader worker (pid 123) is killed by signal:
    Killed.", "... exited unexpectedly") when a worker process ends without reporting an
    error: killed by the system (out of memory) or crashed in native code.
    """
    text = ' '.join(str(error).split())
    if not text.startswith('DataLoader worker (pid'):
        return None
    return (f'{text.rstrip(". ")}. A worker killed by the system has usually run out of memory: '
            f'lower num_workers or batch_size (--cfg-options num_workers=2). With num_workers=0 '
            f'the data loads in the main process, which shows the error of a sample that '
            f'crashes its decoder.')


def close_process_group() -> None:
    """Tear down torch.distributed after a run that ended normally.

    A gloo process group left for interpreter shutdown can abort the process ("terminate called
    without an active exception") after all work is done, so a finished run would exit non-zero.
    Only on success: after an error other ranks may still sit in a collective.
    """
    import torch.distributed as dist
    if dist.is_available() and dist.is_initialized():
        # Every rank finishes its collectives before any tears its group down: a rank that
        # destroys its group while a peer's gloo work is in flight can abort the same way.
        dist.barrier()
        dist.destroy_process_group()
