"""One training run per work dir at a time: a lock that names the run holding it."""
import errno
import json
import os
import os.path as osp
import shlex
import socket
import sys
import time
from typing import Optional

try:
    import fcntl
except ImportError:  # not POSIX (Windows): the recorded holder decides
    fcntl = None

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
                if fcntl is None:
                    raise OSError(errno.ENOLCK, 'no record locks')
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                busy = error.errno in (errno.EACCES, errno.EAGAIN)
                # Without record locks (the file system has none), the recorded holder decides.
                problem = self._busy_message() if busy else self._recorded_holder_problem()
                if problem is not None:
                    os.close(fd)
                    raise WorkDirError(problem) from None
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

    def _recorded_holder_problem(self) -> Optional[str]:
        """Without record locks: why the file's holder may still run, or ``None`` if not."""
        holder = self._holder()
        pid, host = holder.get('pid'), holder.get('host')
        if not isinstance(pid, int) or pid == os.getpid():
            return None
        if host != socket.gethostname():
            return f'{self._busy_message()} If that run has ended, remove {self.path}.'
        return self._busy_message() if _alive(pid) else None

    def _busy_message(self) -> str:
        holder = self._holder()
        if not holder:
            return (f'{self.work_dir!r} is in use by another training run (it holds '
                    f'{self.path}). Wait for it to end, or train into another --work-dir.')
        return (f'{self.work_dir!r} is in use by another training run: pid '
                f'{holder.get("pid")} on host {holder.get("host")}, started '
                f'{holder.get("started")}, command: {holder.get("command")}. Wait for it to '
                f'end (or stop it), or train into another --work-dir.')
