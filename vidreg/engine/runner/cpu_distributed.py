"""Multi-process training on machines without a GPU (gloo backend)."""
import os
import shutil
import subprocess
from typing import Dict

import torch
import torch.distributed as dist
from mmengine.config import Config


class LauncherError(RuntimeError):
    """The launcher's environment lacks what a process needs to join the others."""


def slurm_environment(env: Dict[str, str]) -> Dict[str, str]:
    """torch.distributed's variables for a task that ``srun`` started, as mmengine sets them.

    ``RANK`` is ``SLURM_PROCID``, ``WORLD_SIZE`` is ``SLURM_NTASKS``, ``LOCAL_RANK`` is
    ``SLURM_LOCALID``. ``MASTER_ADDR`` is kept when set, else it is the first host of
    ``SLURM_NODELIST`` (``scontrol show hostnames``); ``MASTER_PORT`` is kept when set,
    else 29500 (two jobs that share a node need ``MASTER_PORT`` set apart).

    Args:
        env: The task's environment (``os.environ``).

    Raises:
        LauncherError: A Slurm variable is missing (not started by ``srun``), or the
            first node cannot be named.
    """
    missing = [name for name in ('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST')
               if name not in env]
    if missing:
        raise LauncherError(f'--launcher slurm: {", ".join(missing)} not set; start the '
                            f'processes with srun (bash tools/slurm_train.sh PARTITION JOB '
                            f'CONFIG GPUS), or use --launcher pytorch under torchrun.')
    master = env.get('MASTER_ADDR') or _first_host(env['SLURM_NODELIST'])
    return dict(RANK=env['SLURM_PROCID'], WORLD_SIZE=env['SLURM_NTASKS'],
                LOCAL_RANK=env.get('SLURM_LOCALID', '0'), MASTER_ADDR=master,
                MASTER_PORT=env.get('MASTER_PORT', '29500'))


def _first_host(node_list: str) -> str:
    scontrol = shutil.which('scontrol')
    if scontrol is None:
        raise LauncherError(f'--launcher slurm: scontrol is not on PATH, so the first node of '
                            f'SLURM_NODELIST={node_list!r} cannot be named; set MASTER_ADDR.')
    hosts = subprocess.run([scontrol, 'show', 'hostnames', node_list], capture_output=True,
                           text=True, check=False).stdout.split()
    if not hosts:
        raise LauncherError(f'--launcher slurm: scontrol names no host in SLURM_NODELIST='
                            f'{node_list!r}; set MASTER_ADDR.')
    return hosts[0]


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Make a torchrun or srun launch work on CPU-only machines.

    mmengine's ``pytorch`` and ``slurm`` launchers always call ``torch.cuda.set_device``
    and wrap the model with ``device_ids=[LOCAL_RANK]``; both fail without a GPU. When no
    GPU is visible this initialises the process group with gloo itself (mmengine then
    skips its own initialisation; under ``srun`` the ranks come from
    :func:`slurm_environment`) and wraps the model with ``device_ids=None``. With a GPU it
    only fills in the NCCL backend if the config names none.
    """
    if launcher == 'none':
        return
    if 'env_cfg' not in cfg:
        cfg.env_cfg = {}
    if torch.cuda.is_available():
        cfg.env_cfg.setdefault('dist_cfg', dict(backend='nccl'))
        return
    if launcher not in ('pytorch', 'slurm'):
        raise LauncherError(f'launcher {launcher!r} without a GPU is not supported; use '
                            f'tools/dist_train.sh (torchrun, gloo) or tools/slurm_train.sh.')
    if launcher == 'slurm':
        os.environ.update(slurm_environment(os.environ))
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo', rank=int(os.environ['RANK']),
                                world_size=int(os.environ['WORLD_SIZE']))
    cfg.env_cfg.dist_cfg = dict(backend='gloo')
    cfg.model_wrapper_cfg = dict(type='MMDistributedDataParallel', device_ids=None,
                                 broadcast_buffers=False,
                                 find_unused_parameters=cfg.get('find_unused_parameters', False))
