"""A recognizer as one traceable function: uint8 clips in, view-averaged predictions out."""
from typing import Sequence

from torch import Tensor, nn

__all__ = ['ExportableRecognizer']


class ExportableRecognizer(nn.Module):
    """What ``mode='predict'`` computes, without data samples, for ONNX export.

    The graph holds the whole path from packed frames to predictions:
    ``VideoDataPreprocessor`` (cast, channel order, mean/std normalisation,
    permute; per modality), the network (``mode='tensor'``), the head's activation
    (softmax for classification; the output range for regression) and the mean over
    views. A runtime therefore feeds the packed uint8 frames of the test pipeline and
    needs no normalisation constants. Auxiliary branches of multi-task models are not
    part of ``mode='tensor'`` and are left out.

    The graph takes one positional clip tensor per modality, in the order of
    ``names`` (the keys of ``PackVideoInputs``: ``('imgs',)`` for an RGB model), and
    rebuilds the model's dict of inputs from them.

    Args:
        model: A built recognizer (``BaseRecognizer``) in eval mode.
        names: The modality names, in the order of the positional inputs.
    """

    def __init__(self, model: nn.Module, names: Sequence[str] = ('imgs',)) -> None:
        super().__init__()
        self.model = model
        self.names = tuple(names)
        if not self.names:
            raise ValueError('ExportableRecognizer needs at least one input name')

    def forward(self, *clips: Tensor) -> Tensor:
        """Predict a batch of packed clips.

        Args:
            *clips: uint8 frames, one tensor per name of ``names``, each
                (B, V, T_k, C_k, H, W) as ``PackVideoInputs`` and ``video_collate``
                lay them out (B and V shared by all).

        Returns:
            Class probabilities or regression values averaged over the views, (B, K).
        """
        if len(clips) != len(self.names):
            raise ValueError(f'ExportableRecognizer expects {len(self.names)} inputs '
                             f'{self.names}, got {len(clips)}')
        batch, views = clips[0].shape[:2]
        inputs = dict(zip(self.names, clips))
        normalised = self.model.data_preprocessor(dict(inputs=inputs))['inputs']
        outputs = self.model(normalised, mode='tensor')  # (B * V, K)
        values = self.model.head.activate(outputs)  # (B * V, K)
        return values.reshape(batch, views, -1).mean(dim=1)  # (B, K)
