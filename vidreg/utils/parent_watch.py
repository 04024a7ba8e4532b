"""Worker processes that end as soon as the process that started them is gone.

A worker of ``concurrent.futures.ProcessPoolExecutor`` whose parent is killed (``kill -9``,
``SIGTERM``, the system's out-of-memory killer) waits for work forever: it holds both ends of
its task queue, so it never sees the parent go. Each such orphan keeps its memory (~440 MB
for the tools, which import torch). torch's DataLoader workers notice only between batches,
up to 5 s later (longer while one sample decodes).

Every multi-process pool of vidreg starts its workers through this module
(:func:`worker_pool`, :class:`ParentWatchInit` for DataLoaders): each worker runs
:func:`watch_parent`, a daemon thread that checks every ``interval`` seconds whether the
parent is still there and ends the worker (``os._exit``) the moment it is not. Parent death
is seen as the worker's parent pid changing (the worker was re-parented, to init or a
subreaper) or the parent pid no longer existing. It works with any start method (fork,
spawn, forkserver: a forkserver child follows the forkserver, which follows the parent)
and on any POSIX system. ``prctl(PR_SET_PDEATHSIG)`` is not used: on Linux it fires when the
parent *thread* that forked the worker ends, so a pool started from a short-lived thread
would lose its workers while the parent lives on.
"""
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Optional

__all__ = ['watch_parent', 'worker_pool', 'ParentWatchInit', 'EXIT_PARENT_GONE']

EXIT_PARENT_GONE = 70  # exit status of a worker that ended because its parent was gone
_POLL_SECONDS = 0.2
_watching_pid: Optional[int] = None  # the process whose watch thread runs (threads don't fork)


def _parent_gone(parent_pid: int, start_ppid: int) -> bool:
    if os.getppid() != start_ppid:  # re-parented: the parent has exited
        return True
    try:
        os.kill(parent_pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists (owned by another user)
        pass
    return False


def _watch(parent_pid: int, start_ppid: int, interval: float) -> None:
    while not _parent_gone(parent_pid, start_ppid):
        time.sleep(interval)
    os._exit(EXIT_PARENT_GONE)  # now: no cleanup that could wait on the dead parent


def watch_parent(parent_pid: Optional[int] = None, interval: float = _POLL_SECONDS) -> None:
    """End this process within ``interval`` seconds of ``parent_pid`` ending.

    Starts one daemon thread per process (later calls do nothing). Call it first thing in a
    worker (a pool's ``initializer``).

    Args:
        parent_pid: The process to follow; the current parent by default. Pass the pool
            owner's pid (``os.getpid()`` there) so a parent that died before the worker got
            here is noticed too.
        interval: Seconds between checks.
    """
    global _watching_pid
    if _watching_pid == os.getpid():
        return
    _watching_pid = os.getpid()
    start_ppid = os.getppid()
    parent_pid = start_ppid if parent_pid is None else parent_pid
    threading.Thread(target=_watch, args=(parent_pid, start_ppid, interval), daemon=True,
                     name='vidreg-parent-watch').start()


def _init_pool_worker(parent_pid: int) -> None:
    """``ProcessPoolExecutor`` initializer: follow the parent, and end silently on Ctrl-C.

    Ctrl-C in a terminal reaches the whole process group: the parent reports the
    interruption; a worker just ends (rather than print a ``KeyboardInterrupt`` traceback).
    """
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    watch_parent(parent_pid)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process does (see the module docstring)."""
    return ProcessPoolExecutor(workers, initializer=_init_pool_worker, initargs=(os.getpid(),))


class ParentWatchInit:
    """A DataLoader ``worker_init_fn`` that makes each worker :func:`watch_parent` first.

    Create it in the process that iterates the loader (it records that process's pid).

    Args:
        init_fn: The loader's own ``worker_init_fn`` (e.g. mmengine's seeding), called after.
    """

    def __init__(self, init_fn: Optional[Callable[[int], None]] = None) -> None:
        self.init_fn = init_fn
        self.parent_pid = os.getpid()

    def __call__(self, worker_id: int) -> None:
        watch_parent(self.parent_pid)
        if self.init_fn is not None:
            self.init_fn(worker_id)
