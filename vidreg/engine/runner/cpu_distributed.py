"""Multi-process training on machines without a GPU (gloo backend)."""
import os

import torch
import torch.distributed as dist
from mmengine.config import Config


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Make a torchrun launch work on CPU-only machines.

    mmengine's ``pytorch`` launcher always calls ``torch.cuda.set_device`` and wraps
    the model with ``device_ids=[LOCAL_RANK]``; both fail without a GPU. When no GPU
    is visible this initialises the process group with gloo itself (mmengine then
    skips its own initialisation) and wraps the model with ``device_ids=None``.
    With a GPU it only fills in the NCCL backend if the config names none.
    """
    if launcher == 'none':
        return
    if torch.cuda.is_available():
        cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', dict(backend='nccl'))
        return
    if launcher != 'pytorch':
        raise RuntimeError(f'launcher {launcher!r} without a GPU is not supported; use '
                           f'tools/dist_train.sh (torchrun, gloo).')
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo', rank=int(os.environ['RANK']),
                                world_size=int(os.environ['WORLD_SIZE']))
    cfg.setdefault('env_cfg', {})['dist_cfg'] = dict(backend='gloo')
    cfg.model_wrapper_cfg = dict(type='MMDistributedDataParallel', device_ids=None,
                                 broadcast_buffers=False,
                                 find_unused_parameters=cfg.get('find_unused_parameters', False))
