"""Write a file so that readers see the old file or the whole new one, never half of it.

Every file vidreg writes for later use (checkpoints, ``summary.json``, plots, prediction dumps,
split CSVs) goes through :func:`atomic_path`: the data is written to a temporary sibling
``.<name>.<32 hex>.tmp`` and renamed onto ``<name>`` (``os.replace``, atomic on one file
system) once it is complete. On any error, the temporary file is removed, and a full disk is
reported as :class:`NoSpaceError` naming the file. A process killed mid-write (``kill -9``)
cannot clean up: :func:`remove_stale_temps` removes such leftovers on the next start.
"""
import errno
import os
import os.path as osp
import re
import uuid
from contextlib import contextmanager
from typing import IO, Iterator, List, Literal, Optional

__all__ = ['NoSpaceError', 'atomic_open', 'atomic_path', 'remove_stale_temps']

_TEMP_NAME = re.compile(r'^\.(?P<name>.+)\.[0-9a-f]{32}\.tmp$')


class NoSpaceError(OSError):
    """The disk filled up while a file was written; the partial file has been removed."""


def _temp_sibling(path: str) -> str:
    folder, name = osp.split(osp.abspath(path))
    return osp.join(folder, f'.{name}.{uuid.uuid4().hex}.tmp')


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """Yield a temporary path next to ``path``; move it onto ``path`` when the block succeeds.

    Write the file at the yielded path (``torch.save``, ``figure.savefig``, ...). The folder
    is created if needed.

    Raises:
        NoSpaceError: The disk is full (``ENOSPC``); the message names ``path``.
    """
    path = os.fspath(path)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = _temp_sibling(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as error:
        if error.errno == errno.ENOSPC and not isinstance(error, NoSpaceError):
            raise NoSpaceError(errno.ENOSPC, f'no space left on device while writing {path!r} '
                               f'(the partial file was removed); free some space and run '
                               f'again') from error
        raise
    finally:
        if osp.lexists(tmp):
            os.remove(tmp)


@contextmanager
def atomic_open(path: str, mode: Literal['w', 'wb'] = 'w', *,
                encoding: Optional[str] = None, newline: Optional[str] = None) -> Iterator[IO]:
    """``open(path, mode)`` through :func:`atomic_path`: the file appears when the block ends.

    Text mode defaults to UTF-8.
    """
    if 'b' not in mode and encoding is None:
        encoding = 'utf-8'
    with atomic_path(path) as tmp:
        with open(tmp, mode.replace('w', 'x'), encoding=encoding, newline=newline) as file:
            yield file


def remove_stale_temps(folder: str) -> List[str]:
    """Remove the temporary files that :func:`atomic_path` left in ``folder`` when killed.

    Only names of the exact form ``.<name>.<32 hex>.tmp`` are touched. Call it where no
    other process is writing into ``folder`` (e.g. the work dir when a run starts).

    Returns:
        The removed paths.
    """
    removed = []
    if not osp.isdir(folder):
        return removed
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and _TEMP_NAME.match(entry.name):
            os.remove(entry.path)
            removed.append(entry.path)
    return sorted(removed)
