"""What a weight source is: a foreign checkpoint layout mapped onto a vidreg recognizer.

A source is one file in ``vidreg/weights/`` that defines ``SOURCE = WeightSource(...)`` and is
listed in :data:`vidreg.weights.sources.SOURCES`. Its ``convert`` maps the foreign tensors to
vidreg's names and says what they expect (:class:`SourceModel`); ``infer_backbone`` reads the
backbone config from the converted tensors' shapes. :mod:`vidreg.weights.complete_checkpoint`
turns the result into a checkpoint that ``tools/test.py``, ``tools/infer.py`` and
``tools/export.py`` load alone, and whose backbone part a backbone's ``pretrained`` takes.
"""
from typing import Callable, Dict, NamedTuple, Optional, Tuple

from torch import Tensor

__all__ = ['StateDict', 'TestClip', 'SourceModel', 'WeightSource', 'strip_prefix', 'linear_head']

StateDict = Dict[str, Tensor]


class TestClip(NamedTuple):
    """The clip a source's weights are evaluated on (the converted checkpoint's test pipeline).

    Frames are sampled ``num_frames`` every ``frame_interval``-th, resized to ``short_side``
    as they are decoded and centre-cropped to ``crop_size`` (one view per video).
    """

    num_frames: int
    frame_interval: int
    short_side: int
    crop_size: int


class SourceModel(NamedTuple):
    """What a source's ``convert`` returns: foreign tensors under vidreg's names.

    Attributes:
        backbone: The backbone's tensors, vidreg backbone keys (no ``backbone.`` prefix).
        head: The classifier as :class:`~vidreg.models.heads.ClsHead` keys: ``fc.weight``
            (K, E) and ``fc.bias`` (K,); empty when the source has no classifier.
        classes: The K class names when the source says them, else ``None``.
        data_preprocessor: ``VideoDataPreprocessor`` arguments (0-255 units) the weights expect.
        test_clip: The clip they are evaluated on.
        backbone_cfg: The backbone config when the source states it (a ``transformers``
            ``config.json``: head counts and epsilons are not in the shapes); None lets the
            converter infer it with the source's ``infer_backbone``.
    """

    backbone: StateDict
    head: StateDict
    classes: Optional[Tuple[str, ...]]
    data_preprocessor: dict
    test_clip: TestClip
    backbone_cfg: Optional[dict] = None


class WeightSource(NamedTuple):
    """One ``--from`` layout of ``tools/convert_weights.py``.

    Attributes:
        name: The ``--from`` value.
        convert: ``convert(state_dict, src) -> SourceModel``; ``src`` is the path or weights
            name read (a source may find class names from it). Keys it does not know are left
            out; a state dict with none of its keys gives an empty ``backbone``.
        infer_backbone: ``infer_backbone(backbone_state_dict) -> dict``, the backbone config
            (for ``MODELS.build``) that the converted tensors fit. Raises ``KeyError`` for a
            missing key and ``ValueError`` for shapes of no supported configuration.
        read: ``read(src) -> StateDict`` for a layout that is not one checkpoint file (a
            ``save_pretrained`` folder); None reads SRC as a checkpoint or weights name
            (:func:`vidreg.utils.pretrained.read_pretrained_state_dict`).
    """

    name: str
    convert: Callable[[StateDict, str], SourceModel]
    infer_backbone: Callable[[StateDict], dict]
    read: Optional[Callable[[str], StateDict]] = None


def strip_prefix(state_dict: StateDict, prefix: str) -> StateDict:
    """Remove ``prefix`` from every key that has it when all keys have it (else unchanged)."""
    if state_dict and all(k.startswith(prefix) for k in state_dict):
        return {k[len(prefix):]: v for k, v in state_dict.items()}
    return state_dict


def linear_head(state_dict: StateDict, prefix: str) -> StateDict:
    """``{prefix}weight`` (K, E) and ``{prefix}bias`` (K,) as ClsHead keys; ``{}`` without both."""
    weight, bias = state_dict.get(prefix + 'weight'), state_dict.get(prefix + 'bias')
    if weight is None or bias is None:
        return {}
    return {'fc.weight': weight.reshape(weight.shape[0], -1), 'fc.bias': bias}
