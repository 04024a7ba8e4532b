"""The table of weight sources: ``--from`` name -> :class:`~vidreg.weights.source.WeightSource`.

A new source is a file of this package defining ``SOURCE``, imported and listed here.
"""
from typing import Dict, Tuple

from . import c3d_sports1m, huggingface, kenshohara, mmaction2, torchvision_video, videomae
from .source import WeightSource

__all__ = ['SOURCES', 'source_names', 'get_source']

SOURCES: Dict[str, WeightSource] = {source.name: source for source in (
    torchvision_video.SOURCE,
    c3d_sports1m.SOURCE,
    mmaction2.SOURCE,
    kenshohara.SOURCE,
    huggingface.SOURCE,
    videomae.SOURCE,
)}


def source_names() -> Tuple[str, ...]:
    """The ``--from`` values, in the table's order."""
    return tuple(SOURCES)


def get_source(name: str) -> WeightSource:
    """The source called ``name``.

    Raises:
        ValueError: No source has that name (the message lists them).
    """
    if name not in SOURCES:
        raise ValueError(f'unknown weight source {name!r}; known: {", ".join(SOURCES)}')
    return SOURCES[name]
