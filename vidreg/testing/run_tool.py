"""Run a script of the checkout (``tools/``, ``benchmarks/``) as a user types it, for the tests
of a command line: its own process, one OpenMP thread, its exit code checked; or, for the
errors a tool reports before it starts any work, its ``main`` in this process."""
import contextlib
import importlib.util
import io
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, Iterator, Optional

from vidreg.plugins import REPO_ROOT

__all__ = ['call_tool', 'run_tool']


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


def call_tool(script: str, *args, expect: Optional[int] = 0,
              env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """The tool's ``main`` under its ``run_cli``, in this process, as ``python SCRIPT ARGS...``
    runs it in the checkout: the same exit code and output as :func:`run_tool`, without
    the ~5 s of starting an interpreter and importing torch.

    Only for the errors a tool reports before it starts work (usage mistakes, a missing
    file, contradictory options): a tool that trains, decodes or changes process-wide
    settings (threads, loggers, plugins) is run with :func:`run_tool`.

    Args:
        script: The tool, relative to the checkout (``tools/train.py``).
        args: Its arguments (paths are turned into text).
        expect: The exit code it must end with (``None``: any).
        env: Variables set while it runs.

    Returns:
        ``returncode``, ``stdout`` and ``stderr`` (text), as from :func:`run_tool`.
    """
    path = osp.join(REPO_ROOT, script)
    argv = [script, *map(str, args)]
    stdout, stderr = io.StringIO(), io.StringIO()
    with _command_context(argv, env), contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        spec = importlib.util.spec_from_file_location(
            f'_vidreg_tool_{osp.splitext(osp.basename(script))[0]}', path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        try:
            if hasattr(module, 'run_cli'):
                module.run_cli(module.main)
                code = 0
            else:  # a torch-free tool (tools/infer.py): sys.exit(main())
                code = module.main() or 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            if isinstance(done.code, str):
                print(done.code, file=sys.stderr)
    result = subprocess.CompletedProcess(argv, code, stdout.getvalue(), stderr.getvalue())
    if expect is not None and code != expect:
        raise AssertionError(f'{" ".join(argv)}: exit code {code}, expected {expect}\n'
                             f'{result.stdout[-3000:]}\n{result.stderr[-3000:]}')
    return result


@contextlib.contextmanager
def _command_context(argv: list, env: Optional[Dict[str, str]]) -> Iterator[None]:
    """``sys.argv``, the working directory (the checkout) and ``env`` as for a command typed
    there; all restored afterwards."""
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    saved_env = {name: os.environ.get(name) for name in env or {}}
    sys.argv = argv
    os.chdir(REPO_ROOT)
    os.environ.update(env or {})
    try:
        yield
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
