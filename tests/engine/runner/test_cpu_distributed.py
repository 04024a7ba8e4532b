"""--launcher slurm on a machine without GPUs: ranks and rendezvous from srun's variables."""
import sys

import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from vidreg.engine.runner import LauncherError, setup_cpu_distributed, slurm_environment
from vidreg.testing.free_port import free_port

TASK = dict(SLURM_PROCID='3', SLURM_NTASKS='8', SLURM_LOCALID='1', SLURM_NODELIST='gpu[7-8]')


def test_ranks_come_from_slurm_and_a_set_master_is_kept():
    env = slurm_environment(dict(TASK, MASTER_ADDR='10.0.0.5', MASTER_PORT='29611'))
    assert env == dict(RANK='3', WORLD_SIZE='8', LOCAL_RANK='1', MASTER_ADDR='10.0.0.5',
                       MASTER_PORT='29611')


def test_the_master_is_the_first_node_scontrol_names(tmp_path, monkeypatch):
    scontrol = tmp_path / 'scontrol'  # records its arguments, names the nodes as Slurm does
    scontrol.write_text(f"#!{sys.executable}\nimport sys\n"
                        f"open({str(tmp_path / 'args')!r}, 'w').write(' '.join(sys.argv[1:]))\n"
                        f"print('gpu7'); print('gpu8')\n")
    scontrol.chmod(0o755)
    monkeypatch.setenv('PATH', str(tmp_path))
    env = slurm_environment(TASK)
    assert (tmp_path / 'args').read_text() == 'show hostnames gpu[7-8]'
    assert env['MASTER_ADDR'] == 'gpu7' and env['MASTER_PORT'] == '29500'


def test_without_slurm_or_scontrol_the_error_says_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(LauncherError, match='SLURM_PROCID, SLURM_NTASKS, SLURM_NODELIST not '
                       'set; start the processes with srun'):
        slurm_environment({})
    monkeypatch.setenv('PATH', str(tmp_path))
    with pytest.raises(LauncherError, match="scontrol is not on PATH.*'gpu\\[7-8\\]' cannot be "
                       'named; set MASTER_ADDR'):
        slurm_environment(TASK)


@pytest.mark.skipif(torch.cuda.is_available(), reason='with a GPU mmengine initialises NCCL')
def test_a_slurm_task_joins_a_gloo_group(monkeypatch):
    for name in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK'):
        monkeypatch.delenv(name, raising=False)  # restored after the test
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', str(free_port()))
    for name, value in dict(TASK, SLURM_PROCID='0', SLURM_NTASKS='1').items():
        monkeypatch.setenv(name, value)
    cfg = Config(dict(model=dict(type='Recognizer')))
    setup_cpu_distributed(cfg, 'slurm')
    try:
        assert (dist.get_rank(), dist.get_world_size(), dist.get_backend()) == (0, 1, 'gloo')
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert cfg.model_wrapper_cfg.device_ids is None
    finally:
        dist.destroy_process_group()
