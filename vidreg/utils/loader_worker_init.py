"""What every DataLoader worker of vidreg does first: follow its parent, and run on one thread."""
import os
from typing import Callable, Optional

from .parent_watch import ParentWatchInit, watch_parent

__all__ = ['LoaderWorkerInit', 'one_thread_per_worker']


def one_thread_per_worker() -> None:
    """Make this worker process compute on one thread: torch, OpenCV and OpenMP.

    N workers on N cores scale only if no worker starts a pool of threads of its own:
    with ``cv2`` at its default (one thread per core) or torch's intra-op pool, 2 workers
    on 2 cores run 2 x 2 threads that take turns. torch's DataLoader sets its own pool to
    one thread, and a forked worker inherits OpenCV's setting, but a ``spawn`` or
    ``forkserver`` worker, or a plugin that changed them, would not: each worker sets all
    of them here. ``OMP_NUM_THREADS`` covers libraries that start their OpenMP runtime
    later in the worker. PyAV decodes on the reader's ``num_threads`` (1 for the default
    reader; a config that asks for more gets more).

    OpenCV's count must already be 0 in the parent when it forks (see
    :class:`LoaderWorkerInit`): changing it in a child that inherited a running OpenCV
    thread pool waits forever on that pool's (copied) condition variable.
    """
    import cv2
    import torch
    os.environ['OMP_NUM_THREADS'] = '1'
    torch.set_num_threads(1)
    cv2.setNumThreads(0)  # 0: OpenCV runs sequentially


class LoaderWorkerInit(ParentWatchInit):
    """A DataLoader ``worker_init_fn``: :func:`~vidreg.utils.parent_watch.watch_parent`,
    then :func:`one_thread_per_worker`, then the loader's own ``init_fn`` (mmengine's seeding).

    Create it in the process that iterates the loader (it records that process's pid),
    before the workers start: it stops OpenCV's thread pool there (``cv2.setNumThreads(0)``,
    as mmengine's ``mp_cfg`` does for training), so that forked workers inherit no running
    pool, which would hang them.

    Args:
        init_fn: The loader's own ``worker_init_fn``, called last.
    """

    def __init__(self, init_fn: Optional[Callable[[int], None]] = None) -> None:
        import cv2
        cv2.setNumThreads(0)
        super().__init__(init_fn)

    def __call__(self, worker_id: int) -> None:
        watch_parent(self.parent_pid)  # first: a worker stuck later still ends with its parent
        one_thread_per_worker()
        super().__call__(worker_id)
