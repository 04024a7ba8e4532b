"""What a model takes: clips of every modality of a batch, by name."""
from typing import Dict

from torch import Tensor

#: Modality name -> clips. Collated uint8 ``(B, V, T, C, H, W)`` from ``video_collate``,
#: normalised float ``(B, V, C, T, H, W)`` after ``VideoDataPreprocessor``. Always a dict,
#: ``{'imgs': ...}`` for a model that reads the RGB frames only; the names are the keys
#: ``PackVideoInputs`` packs.
Inputs = Dict[str, Tensor]
