"""What to type to continue a training run that stopped early (Ctrl-C, a full disk)."""
import os.path as osp
import shlex
import sys
from typing import List, Optional, Sequence

__all__ = ['continue_command', 'interrupted_by_user', 'stopped_run_advice']


def _without(args: Sequence[str], option: str, takes_value: bool) -> List[str]:
    """``args`` without ``option`` (and its optional value, for ``--resume [CKPT]``)."""
    kept, skip = [], False
    for position, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == option:
            following = args[position + 1] if position + 1 < len(args) else ''
            skip = takes_value and bool(following) and not following.startswith('-')
            continue
        if not arg.startswith(f'{option}='):
            kept.append(arg)
    return kept


def continue_command(work_dir: str, argv: Optional[Sequence[str]] = None) -> Optional[str]:
    """The command that continues this run, or ``None`` when it saved no checkpoint yet.

    The command is this process's (``python tools/train.py ...``) with ``--resume``, which
    takes the work dir's latest checkpoint, in place of ``--resume CKPT`` or
    ``--overwrite``.

    Args:
        work_dir: The run's work dir (its ``last_checkpoint`` names the latest checkpoint).
        argv: The command line; ``sys.argv`` by default.
    """
    if not osp.isfile(osp.join(work_dir, 'last_checkpoint')):
        return None
    args = _without(_without(list(sys.argv if argv is None else argv), '--overwrite', False),
                    '--resume', True)
    return shlex.join(['python', *args, '--resume'])


def interrupted_by_user(error: BaseException) -> bool:
    """Whether ``error`` is Ctrl-C's ``KeyboardInterrupt``, or raised while handling one: code
    with a bare ``except:`` turns it into its own error (mmengine's ``Config.pretty_text``,
    which each checkpoint save calls, raises ``SyntaxError`` for anything its formatter
    raises)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def stopped_run_advice(work_dir: str, launcher: str = 'none',
                       argv: Optional[Sequence[str]] = None) -> str:
    """How to go on after this training run stopped, as a clause (``'continue the run with:
    python tools/train.py ... --resume'``); with no checkpoint saved yet, start over. With a
    ``launcher`` other than ``'none'`` the command a user typed was the launcher's
    (``tools/dist_train.sh``), so only the option to add is named."""
    command = continue_command(work_dir, argv)
    if command is None:
        return 'start over with the same command (no checkpoint was saved yet)'
    if launcher != 'none':
        return 'continue the run: add --resume to the launch command'
    return f'continue the run with: {command}'
