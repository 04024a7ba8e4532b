"""The one way tools print a user error or warning: one line on stderr, never hard-wrapped."""
from rich.console import Console
from rich.text import Text


def _print(label: str, style: str, message: object) -> None:
    Console(stderr=True, soft_wrap=True).print(Text.assemble((label, style), ' ', str(message)))


def print_error(message: object) -> None:
    """Print ``error: MESSAGE`` to stderr.

    The message is printed as plain text (brackets in paths are not rich markup) and with
    ``soft_wrap``: rich does not insert line breaks, so a path in the message stays on one
    line in logs and CI output (rich wraps at 80 columns when stderr is not a terminal);
    a terminal wraps long lines itself.

    Args:
        message: The error or its text.
    """
    _print('error:', 'bold red', message)


def print_warning(message: object) -> None:
    """Print ``warning: MESSAGE`` to stderr, as :func:`print_error` prints errors."""
    _print('warning:', 'bold yellow', message)


__all__ = ['print_error', 'print_warning']
