"""Weights from other projects: one file per source layout, a table of them, the converter.

``tools/convert_weights.py SRC DST --from NAME`` runs :func:`convert_weights`. A source with a
classifier converts into a complete recognizer checkpoint (``complete_checkpoint.py``); how a
source plugs in is described in ``source.py``.
"""
from .convert import ConvertedWeights, convert_checkpoint, convert_weights, parse_backbone
from .inflate import inflate_2d_state_dict
from .source import SourceModel, StateDict, TestClip, WeightSource
from .sources import SOURCES, get_source, source_names

__all__ = ['ConvertedWeights', 'SOURCES', 'SourceModel', 'StateDict', 'TestClip',
           'WeightSource', 'convert_checkpoint', 'convert_weights', 'get_source',
           'inflate_2d_state_dict', 'parse_backbone', 'source_names']
