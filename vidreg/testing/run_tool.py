"""Run a script of the checkout (``tools/``, ``benchmarks/``) as a user types it, for the tests
of a command line: its own process, one OpenMP thread, its exit code checked."""
import os
import subprocess
import sys
from typing import Dict, Optional

from vidreg.plugins import REPO_ROOT

__all__ = ['run_tool']


def run_tool(*args, expect: Optional[int] = 0, env: Optional[Dict[str, str]] = None,
             cwd: str = REPO_ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python ARGS...`` in ``cwd`` (default: the checkout, so ``tools/x.py`` resolves).

    Args:
        args: The script and its arguments (paths are turned into text).
        expect: The exit code it must end with (``None``: any).
        env: Variables set on top of this process's environment.
        cwd: Where it runs.
        timeout: Seconds before it is killed (the test fails).

    Returns:
        The finished process, ``stdout`` and ``stderr`` as text.
    """
    result = subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True,
                            text=True, timeout=timeout,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})})
    if expect is not None and result.returncode != expect:
        raise AssertionError(f'{" ".join(map(str, args))}: exit code {result.returncode}, '
                             f'expected {expect}\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-3000:]}')
    return result
