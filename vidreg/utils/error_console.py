"""The one way tools print a user error: ``error: MESSAGE`` on stderr, never hard-wrapped."""
from rich.console import Console
from rich.text import Text


def print_error(message: object) -> None:
    """Print ``error: MESSAGE`` to stderr.

    The message is printed as plain text (brackets in paths are not rich markup) and with
    ``soft_wrap``: rich does not insert line breaks, so a path in the message stays on one
    line in logs and CI output (rich wraps at 80 columns when stderr is not a terminal);
    a terminal wraps long lines itself.

    Args:
        message: The error or its text.
    """
    Console(stderr=True, soft_wrap=True).print(
        Text.assemble(('error:', 'bold red'), ' ', str(message)))


__all__ = ['print_error']
