"""Load a backbone's ``pretrained`` weights, its RGB first convolution adapted to its input."""
from functools import partial
from typing import Optional, Type

from torch import nn
from torchvision.models import WeightsEnum

from vidreg.utils.pretrained import load_pretrained

from .adapt_input_conv import adapt_input_conv

__all__ = ['load_backbone_pretrained']


def load_backbone_pretrained(backbone: nn.Module, *, first_conv: str,
                             weights_enum: Optional[Type[WeightsEnum]] = None) -> None:
    """Load ``backbone.pretrained`` (nothing when it is None) with ``backbone.pretrained_prefix``.

    The weight ``first_conv`` (e.g. ``'patch_embed.proj.weight'``) of an RGB checkpoint is
    averaged over colour and replicated ``backbone.in_channels`` times
    (:func:`adapt_input_conv`); a recognizer's checkpoint gives its backbone part.

    Args:
        backbone: A backbone with ``pretrained``, ``pretrained_prefix`` and ``in_channels``.
        first_conv: The state-dict key of its first convolution's weight.
        weights_enum: Its torchvision weights enum (for names such as ``'KINETICS400_V1'``).
    """
    if backbone.pretrained is None:
        return
    load_pretrained(backbone, backbone.pretrained, prefix=backbone.pretrained_prefix,
                    weights_enum=weights_enum,
                    convert=partial(adapt_input_conv, key=first_conv,
                                    in_channels=backbone.in_channels))
