"""A recognizer as one traceable function: uint8 clips in, view-averaged predictions out."""
from typing import Dict, Sequence, Union

from torch import Tensor, nn

__all__ = ['ExportableRecognizer', 'SINGLE_INPUT', 'input_names', 'named_inputs']

SINGLE_INPUT = 'inputs'  # the graph input's name when ``inputs`` is one tensor, not a dict

Inputs = Union[Tensor, Dict[str, Tensor]]


def input_names(inputs: Inputs) -> tuple:
    """The graph's input names: the keys of dict inputs, ``('inputs',)`` for one tensor."""
    return tuple(inputs) if isinstance(inputs, dict) else (SINGLE_INPUT,)


def named_inputs(inputs: Inputs) -> Dict[str, Tensor]:
    """``inputs`` as ``{name: clips}`` in :func:`input_names` order (one tensor: one key)."""
    return dict(inputs) if isinstance(inputs, dict) else {SINGLE_INPUT: inputs}


class ExportableRecognizer(nn.Module):
    """What ``mode='predict'`` computes, without data samples, for ONNX export.

    The graph holds the whole path from packed frames to predictions:
    ``VideoDataPreprocessor`` (cast, channel order, mean/std normalisation,
    permute; per modality for dict inputs), the network (``mode='tensor'``), the
    head's activation (softmax for classification; the output range for
    regression) and the mean over views. A runtime therefore feeds the packed
    uint8 frames of the test pipeline and needs no normalisation constants.
    Auxiliary branches of multi-task models are not part of ``mode='tensor'``
    and are left out.

    The graph takes one positional clip tensor per name of ``names``: the keys
    of ``PackVideoInputs(keys=...)`` for several modalities (a dict is rebuilt
    from them), or the single name ``'inputs'`` (:data:`SINGLE_INPUT`) for the
    plain tensor of one modality. Both are the same mechanism: one key or many.

    Args:
        model: A built recognizer (``BaseRecognizer``) in eval mode.
        names: The input names, from :func:`input_names` of a packed sample.
    """

    def __init__(self, model: nn.Module, names: Sequence[str] = (SINGLE_INPUT,)) -> None:
        super().__init__()
        self.model = model
        self.names = tuple(names)
        if not self.names:
            raise ValueError('ExportableRecognizer needs at least one input name')

    def pack(self, clips: Sequence[Tensor]) -> Inputs:
        """The model's ``inputs`` of positional clips: one tensor, or a dict by name."""
        if len(clips) != len(self.names):
            raise ValueError(f'ExportableRecognizer expects {len(self.names)} inputs '
                             f'{self.names}, got {len(clips)}')
        if self.names == (SINGLE_INPUT,):
            return clips[0]
        return dict(zip(self.names, clips))

    def forward(self, *clips: Tensor) -> Tensor:
        """Predict a batch of packed clips.

        Args:
            *clips: uint8 frames, one tensor per name of ``names``, each
                (B, V, T_k, C_k, H, W) as ``PackVideoInputs`` and ``video_collate``
                lay them out (B and V shared by all).

        Returns:
            Class probabilities or regression values averaged over the views, (B, K).
        """
        batch, views = clips[0].shape[:2]
        normalised = self.model.data_preprocessor(dict(inputs=self.pack(clips)))['inputs']
        outputs = self.model(normalised, mode='tensor')  # (B * V, K)
        values = self.model.head.activate(outputs)  # (B * V, K)
        return values.reshape(batch, views, -1).mean(dim=1)  # (B, K)
