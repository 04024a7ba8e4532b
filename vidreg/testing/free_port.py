"""A TCP port that nothing listens on, for a test's torch.distributed rendezvous: a fixed port
collides with any other job of the machine that picked the same one."""
import socket

__all__ = ['free_port']


def free_port() -> int:
    """A port of 127.0.0.1 that the system just handed out as free (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]
