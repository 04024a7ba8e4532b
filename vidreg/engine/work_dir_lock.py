"""One training run per work dir at a time: a lock that names the run holding it."""
import errno
import fcntl
import json
import os
import os.path as osp
import shlex
import socket
import sys
import time
from typing import Optional

__all__ = ['LOCK_NAME', 'WorkDirError', 'WorkDirLock', 'current_command']

LOCK_NAME = 'train.lock'


class WorkDirError(RuntimeError):
    """The work dir is in use by another run, or holds a run that this one would overwrite."""


def current_command() -> str:
    """The command line of this process, as a user would type it: ``python tools/train.py ...``."""
    return shlex.join(['python', *sys.argv])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class WorkDirLock:
    """An exclusive lock on ``<work_dir>/train.lock`` for the life of a training run.

    The lock is a POSIX record lock (``fcntl.lockf``) on that file. The kernel releases it
    when the process ends, however it ends (``kill -9`` included), so a killed run never
    leaves a stale lock behind; DataLoader workers forked by the run do not inherit it. The
    file holds the holder's pid, host, start time and command, which a second run names
    when it is refused. Where the file system has no record locks (some network mounts),
    the recorded holder is checked instead: a process of this host that has ended does
    not hold it.

    Use as a context manager, or :meth:`acquire` and :meth:`release`; released, the file
    is removed.
    """

    def __init__(self, work_dir: str) -> None:
        self.work_dir = work_dir
        self.path = osp.join(work_dir, LOCK_NAME)
        self._fd: Optional[int] = None

    def acquire(self) -> 'WorkDirLock':
        """Take the lock, or raise :class:`WorkDirError` naming the run that holds it."""
        os.makedirs(self.work_dir, exist_ok=True)
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno not in (errno.EACCES, errno.EAGAIN):  # no record locks here
                    self._check_recorded_holder()
                else:
                    os.close(fd)
                    raise WorkDirError(self._busy_message()) from None
            if self._is_current_file(fd):
                self._fd = fd
            else:  # the holder removed the file as we opened it: lock the new one
                os.close(fd)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, json.dumps(dict(
            pid=os.getpid(), host=socket.gethostname(),
            started=time.strftime('%Y-%m-%d %H:%M:%S %Z'), command=current_command())).encode())
        return self

    def release(self) -> None:
        """Remove the lock file and release the lock (nothing happens if not held)."""
        if self._fd is None:
            return
        try:
            os.remove(self.path)  # while still locked: no other run can hold this file
        except FileNotFoundError:
            pass
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> 'WorkDirLock':
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()

    def _is_current_file(self, fd: int) -> bool:
        try:
            return osp.samestat(os.fstat(fd), os.stat(self.path))
        except FileNotFoundError:
            return False

    def _holder(self) -> dict:
        try:
            with open(self.path, encoding='utf-8') as file:
                holder = json.load(file)
        except (OSError, ValueError):
            return {}
        return holder if isinstance(holder, dict) else {}

    def _check_recorded_holder(self) -> None:
        """Without record locks: refuse if the file names another process that may run."""
        holder = self._holder()
        pid, host = holder.get('pid'), holder.get('host')
        if not isinstance(pid, int) or pid == os.getpid():
            return
        if host != socket.gethostname() or _alive(pid):
            raise WorkDirError(self._busy_message() + (
                f' If that run has ended, remove {self.path}.' if host != socket.gethostname()
                else ''))

    def _busy_message(self) -> str:
        holder = self._holder()
        if not holder:
            return (f'{self.work_dir!r} is in use by another training run (it holds '
                    f'{self.path}). Wait for it to end, or train into another --work-dir.')
        return (f'{self.work_dir!r} is in use by another training run: pid '
                f'{holder.get("pid")} on host {holder.get("host")}, started '
                f'{holder.get("started")}, command: {holder.get("command")}. Wait for it to '
                f'end (or stop it), or train into another --work-dir.')
