"""WorkDirLock: a second run is refused naming the first; a killed run leaves no stale lock."""
import errno
import fcntl
import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from vidreg.engine import work_dir_lock
from vidreg.engine.work_dir_lock import LOCK_NAME, WorkDirError, WorkDirLock

# Another process takes the lock, forks a child that lives on (as DataLoader workers do), says
# so, and waits.
# The module is loaded from its file: importing vidreg.engine would import torch (seconds).
HOLDER = textwrap.dedent('''
    import importlib.util, os, sys, time
    spec = importlib.util.spec_from_file_location('work_dir_lock', sys.argv[2])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lock = module.WorkDirLock(sys.argv[1]).acquire()
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    print('locked', flush=True)
    time.sleep(60)
''')


@pytest.fixture
def holder(tmp_path):
    """A process holding the lock of ``tmp_path``; SIGKILLed (with its child) afterwards."""
    process = subprocess.Popen([sys.executable, '-c', HOLDER, str(tmp_path), work_dir_lock.__file__,
                                '--epochs', '3'],
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout.readline().strip() == 'locked'
    yield process
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_a_second_run_is_refused_naming_the_first(tmp_path, holder):
    with pytest.raises(WorkDirError) as info:
        WorkDirLock(str(tmp_path)).acquire()
    message = str(info.value)
    assert f'pid {holder.pid} on host {socket.gethostname()}, started ' in message
    assert '--epochs 3' in message and 'another --work-dir' in message and '\n' not in message


def test_a_killed_run_leaves_no_stale_lock_even_while_its_forked_workers_live(tmp_path, holder):
    holder.kill()  # SIGKILL the holder only: its forked child lives on
    holder.wait()
    assert (tmp_path / LOCK_NAME).is_file()  # the file stays, naming the dead run
    with WorkDirLock(str(tmp_path)):
        assert f'"pid": {os.getpid()}' in (tmp_path / LOCK_NAME).read_text()
    assert not (tmp_path / LOCK_NAME).exists()  # released: removed


def _without_record_locks(monkeypatch):
    def lockf(fd, operation):
        raise OSError(errno.ENOLCK, 'No locks available')
    monkeypatch.setattr(fcntl, 'lockf', lockf)


def test_without_record_locks_a_live_holder_refuses_and_a_dead_one_does_not(tmp_path,
                                                                             monkeypatch):
    """On a file system without record locks (some network mounts) the file's pid decides."""
    sleeper = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        record = ('{"pid": %d, "host": "%s", "started": "then", "command": "python x"}'
                  % (sleeper.pid, socket.gethostname()))
        (tmp_path / LOCK_NAME).write_text(record)
        _without_record_locks(monkeypatch)
        with pytest.raises(WorkDirError, match=f'pid {sleeper.pid} on host'):
            WorkDirLock(str(tmp_path)).acquire()
    finally:
        sleeper.kill()
        sleeper.wait()
    with WorkDirLock(str(tmp_path)):  # its pid has ended on this host: not a holder
        assert f'"pid": {os.getpid()}' in (tmp_path / LOCK_NAME).read_text()
