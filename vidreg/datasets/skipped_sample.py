"""The marker a dataset returns for a sample it skips at runtime."""


class SkippedSample:
    """Stands in for a sample whose video could not be decoded.

    Args:
        path: The file that failed.
        reason: Why, from the :class:`VideoReadError`.
        sample_idx: Index of the sample in its dataset.
    """

    def __init__(self, path: str, reason: str, sample_idx: int) -> None:
        self.path, self.reason, self.sample_idx = path, reason, sample_idx

    def __repr__(self) -> str:
        return f'SkippedSample({self.path!r}, {self.reason!r}, sample_idx={self.sample_idx})'
