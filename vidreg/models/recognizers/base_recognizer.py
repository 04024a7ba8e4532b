"""The one mmengine BaseModel contract: views folded in, losses out, view-averaged predictions."""
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor

from vidreg.models.heads import BaseHead


class BaseRecognizer(BaseModel):
    """``forward(inputs (B, V, C, T, H, W), data_samples, mode)``.

    Subclasses provide ``head`` (a :class:`BaseHead`) and :meth:`extract_feat`. Views
    (clips x crops) are folded into the batch for the network; ``mode='predict'``
    averages the head's activated outputs over views here and nowhere else.

    Args:
        data_preprocessor: Config or module (default ``VideoDataPreprocessor``).
        channels_last: Feed the network ``torch.channels_last_3d`` tensors (faster
            convolutions on recent GPUs).
        init_cfg: mmengine weight-initialisation config.
    """

    head: BaseHead

    def __init__(self, *, data_preprocessor: Union[dict, torch.nn.Module, None] = None,
                 channels_last: bool = False, init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(type='VideoDataPreprocessor'),
                         init_cfg=init_cfg)
        self.channels_last = channels_last

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Args: inputs (N, C, T, H, W). Returns clip embeddings (N, E)."""
        raise NotImplementedError

    def loss_and_predict(self, inputs: Tensor,
                         data_samples: List) -> Tuple[Dict[str, Tensor], List]:
        """Losses and view-averaged predictions from one run of the network.

        Validation uses it to report a loss without a second forward pass.

        Args:
            inputs: Normalised clips (B, V, C, T, H, W), or (B, C, T, H, W) for one view.
            data_samples: B ``VideoDataSample`` with ``gt_label``.

        Returns:
            What ``mode='loss'`` and ``mode='predict'`` return for the same inputs (equal to
            them in eval mode); the predictions are written into ``data_samples``.
        """
        if inputs.dim() == 5:
            inputs = inputs.unsqueeze(1)  # (B, 1, C, T, H, W)
        num_views = inputs.shape[1]
        clips = inputs.flatten(0, 1)  # (B * V, C, T, H, W)
        if self.channels_last:
            clips = clips.contiguous(memory_format=torch.channels_last_3d)
        feats = self.extract_feat(clips)  # (B * V, E)
        losses = self.head.loss(feats, [s for s in data_samples for _ in range(num_views)])
        values = self.head.activate(self.head(feats))  # (B * V, K)
        values = values.reshape(-1, num_views, values.shape[-1]).mean(dim=1)  # (B, K)
        return losses, self.head.pack(values, data_samples)

    def forward(self, inputs: Tensor, data_samples: Optional[List] = None,
                mode: str = 'tensor') -> Union[Tensor, Dict[str, Tensor], List]:
        """Run the network.

        Args:
            inputs: Normalised clips (B, V, C, T, H, W), or (B, C, T, H, W) for one view.
            data_samples: One ``VideoDataSample`` per video (needed for 'loss').
            mode: ``'tensor'`` returns raw head outputs (B * V, K); ``'loss'`` a dict of
                losses; ``'predict'`` the data samples with view-averaged predictions.
        """
        if inputs.dim() == 5:
            inputs = inputs.unsqueeze(1)  # (B, 1, C, T, H, W)
        num_videos, num_views = inputs.shape[:2]
        clips = inputs.flatten(0, 1)  # (B * V, C, T, H, W)
        if self.channels_last:
            clips = clips.contiguous(memory_format=torch.channels_last_3d)
        feats = self.extract_feat(clips)  # (B * V, E)
        if mode == 'tensor':
            return self.head(feats)
        if mode == 'loss':
            if data_samples is None:
                raise ValueError("mode='loss' needs data_samples with gt_label")
            repeated = [s for s in data_samples for _ in range(num_views)]
            return self.head.loss(feats, repeated)
        if mode == 'predict':
            values = self.head.activate(self.head(feats))  # (B * V, K)
            values = values.view(num_videos, num_views, -1).mean(dim=1)  # (B, K)
            return self.head.pack(values, data_samples)
        raise ValueError(f"mode must be 'tensor', 'loss' or 'predict', got {mode!r}")
