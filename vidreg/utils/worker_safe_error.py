"""Errors whose message survives a DataLoader worker.

A DataLoader worker that raises sends the exception's class and formatted traceback to the
main process, which re-raises it by calling the class with one string: ``"Caught
VideoReadError in DataLoader worker process 1.\\nOriginal Traceback (most recent call last):
..."``. Printed as is, the message the user needs is buried in an escaped traceback. The
errors below recover the original message from that string, so an error reads the same with
``num_workers=0`` and with workers.
"""
from typing import Optional


def worker_original_message(text: object, exc_type: type) -> Optional[str]:
    """The original message of ``exc_type`` re-raised from a DataLoader worker.

    Args:
        text: The single argument torch passes when it re-raises the worker's error.
        exc_type: The exception class being constructed.

    Returns:
        The message the error had in the worker, or ``None`` if ``text`` is not torch's
        re-raise form (then it is an ordinary message).
    """
    if not isinstance(text, str) or not text.startswith(f'Caught {exc_type.__name__} ') \
            or '\nOriginal Traceback' not in text:
        return None
    module = exc_type.__module__
    name = exc_type.__qualname__ if module in ('builtins', '__main__') \
        else f'{module}.{exc_type.__qualname__}'
    # The traceback's last entry is "<module>.<class>: <message>" (the message may span lines).
    head, sep, message = text.rpartition(f'\n{name}: ')
    if not sep:
        return '' if text.rstrip('\n').endswith(f'\n{name}') else None
    return message.rstrip('\n')


class WorkerSafeError(Exception):
    """Base of user-facing errors that may be raised inside a DataLoader worker.

    Constructed with torch's re-raise string, the error keeps only the original message.

    Args:
        message: The message, or torch's re-raise string.
    """

    def __init__(self, message: object = '', *args: object) -> None:
        original = worker_original_message(message, type(self))
        super().__init__(message if original is None else original, *args)


__all__ = ['WorkerSafeError', 'worker_original_message']
