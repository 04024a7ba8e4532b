"""The progress bar of the long offline jobs (data checks, extractions): label, bar, done of
total, elapsed and remaining time."""
from typing import Optional

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ['counting_progress']


def counting_progress(console: Optional[Console] = None, *, label: str = '{task.description}',
                      transient: bool = False) -> Progress:
    """A :class:`rich.progress.Progress` that counts items (use it as a context manager).

    Args:
        console: Where it draws (default: the terminal).
        label: The text before the bar (rich markup; ``{task.description}`` is the task's).
        transient: Remove the bar when done.
    """
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console, transient=transient)
