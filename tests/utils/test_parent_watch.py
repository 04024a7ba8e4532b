"""vidreg.utils.parent_watch: pool workers end as soon as their parent is killed."""
import os
import signal
import subprocess
import sys
import threading

import pytest
from torch.utils.data import DataLoader, Dataset

from vidreg.testing.processes import kill_left, start_times, wait_for_children, wait_until_gone
from vidreg.utils import parent_watch
from vidreg.utils.parent_watch import ParentWatchInit

# A parent holding a pool of 2 busy workers. The module is loaded from its file (it needs
# only the standard library), so the process starts in a fraction of a second.
POOL_OWNER = """
import importlib.util, sys, time
from concurrent.futures import ProcessPoolExecutor
spec = importlib.util.spec_from_file_location('parent_watch', {path!r})
module = sys.modules['parent_watch'] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
pool = module.worker_pool(2) if {watched} else ProcessPoolExecutor(2)
futures = [pool.submit(time.sleep, 60) for _ in range(4)]
print('ready', flush=True)
time.sleep(60)
"""


def start_pool_owner(watched: bool):
    script = POOL_OWNER.format(path=parent_watch.__file__, watched=watched)
    owner = subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE, text=True)
    assert owner.stdout.readline() == 'ready\n'
    workers = wait_for_children(owner.pid, 2, timeout=10)
    assert len(workers) == 2
    return owner, workers


@pytest.mark.parametrize('sig', [signal.SIGKILL, signal.SIGTERM])
def test_pool_workers_end_with_their_killed_parent(sig):
    owner, workers = start_pool_owner(watched=True)
    started = start_times(workers)
    try:
        os.kill(owner.pid, sig)
        owner.wait()
        assert wait_until_gone(workers, timeout=3) == []
    finally:
        kill_left(started)


def test_a_plain_pool_leaves_orphans():
    """The control: without the watch, the same workers outlive their parent."""
    owner, workers = start_pool_owner(watched=False)
    started = start_times(workers)
    try:
        owner.kill()
        owner.wait()
        assert wait_until_gone(workers, timeout=1) == workers
    finally:
        kill_left(started)


def _mark_worker(worker_id: int) -> None:
    os.environ['VIDREG_TEST_WORKER'] = str(worker_id)


class _WorkerState(Dataset):
    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> tuple:
        watching = any(t.name == 'vidreg-parent-watch' for t in threading.enumerate())
        return os.getpid(), watching, os.environ.get('VIDREG_TEST_WORKER')


def test_dataloader_workers_watch_their_parent_and_run_the_loaders_own_init():
    loader = DataLoader(_WorkerState(), batch_size=None, num_workers=2,
                        worker_init_fn=ParentWatchInit(_mark_worker))
    seen = {(pid, watching, worker) for pid, watching, worker in loader}
    assert {pid for pid, _, _ in seen}.isdisjoint({os.getpid()}) and len(seen) == 2
    assert {(watching, worker) for _, watching, worker in seen} == {(True, '0'), (True, '1')}
