"""Find a process's children and wait for processes to end, from ``/proc`` (Linux), for tests
that kill a parent and check that its workers do not outlive it."""
import os
import signal
import subprocess
import time
from typing import Optional

__all__ = ['child_pids', 'running', 'wait_for_children', 'wait_until_gone', 'start_times',
           'workers_outliving',
           'kill_left']


def _stat_fields(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name: state, ppid, ..."""
    with open(f'/proc/{pid}/stat') as file:
        return file.read().rsplit(')', 1)[1].split()


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, running or not yet reaped."""
    children = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                if int(_stat_fields(int(entry))[1]) == pid:
                    children.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    return sorted(children)


def running(pid: int) -> bool:
    """``pid`` exists and is not a zombie (ended, waiting to be reaped)."""
    try:
        return _stat_fields(pid)[0] != 'Z'
    except (OSError, IndexError):
        return False


def wait_until_gone(pids: list[int], timeout: float) -> list[int]:
    """Wait up to ``timeout`` seconds for ``pids`` to end; return those still running."""
    deadline = time.monotonic() + timeout
    while True:
        left = [pid for pid in pids if running(pid)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


def wait_for_children(pid: int, count: int, timeout: float) -> list[int]:
    """Wait up to ``timeout`` seconds for ``pid`` to have ``count`` running children."""
    deadline = time.monotonic() + timeout
    while True:
        children = [child for child in child_pids(pid) if running(child)]
        if len(children) >= count or time.monotonic() > deadline:
            return children
        time.sleep(0.05)


def _start_time(pid: int) -> Optional[int]:
    try:
        return int(_stat_fields(pid)[19])  # field 22 of /proc/<pid>/stat, in clock ticks
    except (OSError, IndexError, ValueError):
        return None


def start_times(pids: list[int]) -> dict[int, int]:
    """``{pid: start time}``: identifies these processes, even once their pids are reused."""
    return {pid: time for pid in pids if (time := _start_time(pid)) is not None}


def kill_left(started: dict[int, int]) -> None:
    """SIGKILL the processes of ``started`` (:func:`start_times`) that still run (a test's
    clean-up); a later process that reuses one of the pids is left alone."""
    for pid, time_started in started.items():
        if running(pid) and _start_time(pid) == time_started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def workers_outliving(command: list[str], *, num_workers: int, sig: int = signal.SIGKILL,
                      settle: float = 0.0, timeout: float, cwd: Optional[str] = None) -> list[int]:
    """Start ``command``, wait for its ``num_workers`` worker processes, let them work for
    ``settle`` seconds, then send the command ``sig``.

    Returns:
        The workers still running ``timeout`` seconds after the command ended (then killed).

    Raises:
        AssertionError: The command did not start its workers, or ended before the signal.
    """
    main = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    workers = wait_for_children(main.pid, num_workers, timeout=60)
    started = start_times(workers)
    try:
        time.sleep(settle)
        if len(workers) != num_workers or main.poll() is not None:
            raise AssertionError(f'{command}: {len(workers)} of {num_workers} workers, exit '
                                 f'code {main.poll()} before the signal')
        os.kill(main.pid, sig)
        main.wait()
        return wait_until_gone(workers, timeout)
    finally:
        kill_left(started)
        if main.poll() is None:
            main.kill()
            main.wait()
