"""A recognizer as one traceable function: uint8 clips in, view-averaged predictions out."""
from torch import Tensor, nn

__all__ = ['ExportableRecognizer']


class ExportableRecognizer(nn.Module):
    """What ``mode='predict'`` computes, without data samples, for ONNX export.

    The graph holds the whole path from packed frames to predictions:
    ``VideoDataPreprocessor`` (cast, channel order, mean/std normalisation,
    permute), the network (``mode='tensor'``), the head's activation (softmax
    for classification; the output range for regression) and the mean over
    views. A runtime therefore feeds the packed uint8 frames of the test
    pipeline and needs no normalisation constants. Auxiliary branches of
    multi-task models are not part of ``mode='tensor'`` and are left out.

    Args:
        model: A built recognizer (``BaseRecognizer``) in eval mode.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, inputs: Tensor) -> Tensor:
        """Predict a batch of packed clips.

        Args:
            inputs: uint8 RGB frames, (B, V, T, C, H, W), as ``PackVideoInputs`` and
                ``video_collate`` lay them out.

        Returns:
            Class probabilities or regression values averaged over the views, (B, K).
        """
        clips = self.model.data_preprocessor(dict(inputs=inputs))['inputs']  # (B, V, C, T, H, W)
        outputs = self.model(clips, mode='tensor')  # (B * V, K)
        values = self.model.head.activate(outputs)  # (B * V, K)
        return values.reshape(inputs.shape[0], inputs.shape[1], -1).mean(dim=1)  # (B, K)
