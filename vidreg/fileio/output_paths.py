"""Check the files a tool is about to write before it does any work.

A tool that writes results (predictions, annotated videos, an ``.onnx``, a converted or fused
checkpoint) calls :func:`check_output_files` first. It refuses, with a message that says what
to do instead:

- an output that is one of the tool's inputs, compared as resolved real paths (a symlink,
  ``./a`` and ``a``, a hard link are the same file); never allowed, not even with ``--force``;
- two outputs that are the same file;
- a folder where a file is to be written;
- an existing file, unless ``force`` (the tool's ``--force``);
- a folder that cannot be created or written (a parent that is a file, no write permission,
  a read-only file system).

Missing folders are not created here: the writers (:func:`~vidreg.fileio.atomic_path`) create
them when they write.
"""
import os
import os.path as osp
from typing import Iterable, List, NamedTuple, Optional, Sequence

__all__ = ['OutputPathError', 'OutputFile', 'check_output_files', 'same_file']


class OutputPathError(ValueError):
    """An output the tool must not or cannot write; raised before any work is done."""


class OutputFile(NamedTuple):
    """A file a tool will write, and how the user named it (for messages).

    Attributes:
        path: The file.
        option: The argument that names it, e.g. ``'--out'``, ``'DST'``.
        example_name: A file name to suggest when ``path`` is a folder (``'model.onnx'``).
    """

    path: str
    option: str
    example_name: Optional[str] = None


def same_file(first: str, second: str) -> bool:
    """Whether two paths name one file: the same real path, or (both existing) the same inode."""
    if osp.realpath(first) == osp.realpath(second):
        return True
    try:
        return osp.samefile(first, second)
    except OSError:  # one of them does not exist (yet)
        return False


def _unwritable_reason(folder: str) -> Optional[str]:
    """Why a file cannot be created in ``folder`` (created first if missing), or ``None``."""
    existing = osp.abspath(folder)
    while not osp.exists(existing) and osp.dirname(existing) != existing:
        existing = osp.dirname(existing)
    if not osp.isdir(existing):
        return f'{existing!r} is a file, not a folder'
    if not os.access(existing, os.W_OK | os.X_OK):
        return f'{existing!r} is not writable (permissions or a read-only file system)'
    return None


def _problem(output: OutputFile, inputs: Sequence[str], force: bool) -> Optional[str]:
    path, option = output.path, output.option
    if osp.isdir(path):
        example = f', e.g. {osp.join(path, output.example_name)!r}' if output.example_name else ''
        return f'{option} {path!r} is a folder: name the file to write{example}'
    for source in inputs:
        if same_file(path, source):
            same = '' if osp.normpath(path) == osp.normpath(source) else \
                f' (the same file as the input {source!r})'
            return (f'{option} {path!r} is an input of this run{same}: writing it would replace '
                    f'the input. Choose another {option}.')
    if osp.lexists(path) and not force:
        return f'{path!r} exists ({option}): pass --force to overwrite it, or another {option}'
    reason = _unwritable_reason(osp.dirname(osp.abspath(path)))
    if reason is not None:
        return f'{option} {path!r} cannot be written: {reason}. Choose another {option}.'
    return None


def check_output_files(outputs: Iterable[OutputFile], *, inputs: Iterable[Optional[str]] = (),
                       force: bool = False) -> None:
    """Refuse outputs that would replace an input or another output, or cannot be written.

    Args:
        outputs: Every file the run will write.
        inputs: Every file the run reads (``None`` entries, unset options, are ignored).
        force: Allow replacing existing files that are not inputs.

    Raises:
        OutputPathError: The first problem found, naming the file and the option.
    """
    outputs = list(outputs)
    sources = [path for path in inputs if path]
    written: List[OutputFile] = []
    for output in outputs:
        problem = _problem(output, sources, force)
        if problem is not None:
            raise OutputPathError(problem)
        for earlier in written:
            if same_file(earlier.path, output.path):
                raise OutputPathError(f'{output.option} {output.path!r} and {earlier.option} '
                                      f'{earlier.path!r} are the same file: choose different '
                                      f'names.')
        written.append(output)
