"""MixUp or CutMix of a training batch of clips, with soft targets (torchvision's, seeded)."""
from typing import Dict, List, Tuple

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.logging import MessageHub
from torch import Tensor
from torchvision import tv_tensors
from torchvision.transforms import v2

from vidreg.registry import MODELS
from vidreg.structures import VideoDataSample


def batch_seed() -> int:
    """A seed for this training batch from the Runner's ``(seed, iteration)`` and the rank.

    The Runner records both in its message hub (mmengine's ``RuntimeInfoHook``), so a resumed
    run draws what the uninterrupted one drew, whatever else used the global RNGs.
    """
    hub = MessageHub.get_current_instance()
    seed, iteration = hub.get_info('seed') or 0, hub.get_info('iter') or 0
    return int(np.random.SeedSequence([seed, iteration, get_rank()]).generate_state(1)[0])


@MODELS.register_module()
class MixUpCutMix:
    """Mix each clip of a batch with its neighbour: MixUp (a blend) or CutMix (a box).

    Batch level, in :class:`~vidreg.models.data_preprocessors.VideoDataPreprocessor`
    (``batch_augments=``), training only. Clip ``i`` is mixed with clip ``i - 1`` (the
    batch is shuffled) by torchvision's ``v2.MixUp`` / ``v2.CutMix``; a CutMix box spans
    every frame of the clip and every modality (they must share H and W). Each sample gets
    ``gt_score``, its soft target (K,) float32 (the mix of the two one-hot labels, or of
    their ``gt_score`` when already soft); ``gt_label`` stays the sample's own class, for
    metrics. The draws come from a generator seeded with :func:`batch_seed`, so resuming
    is exact.

    Args:
        num_classes: K, for the one-hot targets.
        mixup_alpha: Beta(alpha, alpha) of MixUp's weight; 0 disables MixUp.
        cutmix_alpha: Beta(alpha, alpha) of CutMix's area; 0 disables CutMix.
        cutmix_prob: With both on, the chance of CutMix instead of MixUp for a batch.
        prob: The chance that a batch is mixed at all (else hard targets).

    Raises:
        ValueError: Bad arguments; labels that are not classes (regression targets).
    """

    def __init__(self, *, num_classes: int, mixup_alpha: float = 0.8, cutmix_alpha: float = 1.0,
                 cutmix_prob: float = 0.5, prob: float = 1.0) -> None:
        if mixup_alpha < 0 or cutmix_alpha < 0 or mixup_alpha == cutmix_alpha == 0:
            raise ValueError(f'MixUpCutMix: mixup_alpha and cutmix_alpha must be >= 0 and one of '
                             f'them > 0, got {mixup_alpha} and {cutmix_alpha}; drop '
                             f'batch_augments to train without mixing.')
        if not 0 <= cutmix_prob <= 1 or not 0 <= prob <= 1:
            raise ValueError(f'MixUpCutMix: cutmix_prob and prob are probabilities in [0, 1], got '
                             f'{cutmix_prob} and {prob}.')
        self.num_classes, self.prob = num_classes, prob
        # a mix whose alpha is 0 is built with 1 but never chosen (cutmix_prob below)
        self.mixup = v2.MixUp(alpha=mixup_alpha or 1., num_classes=num_classes)
        self.cutmix = v2.CutMix(alpha=cutmix_alpha or 1., num_classes=num_classes)
        # the chance of CutMix for a mixed batch
        self.cutmix_prob = 0. if cutmix_alpha == 0 else 1. if mixup_alpha == 0 else cutmix_prob

    def __call__(self, inputs: Dict[str, Tensor], data_samples: List[VideoDataSample]
                 ) -> Tuple[Dict[str, Tensor], List[VideoDataSample]]:
        """Mix a batch.

        Args:
            inputs: Normalised clips ``{name: (B, V, C, T, H, W)}``.
            data_samples: B samples with class labels ``gt_label``.

        Returns:
            The mixed clips (same shapes) and the samples, each with ``gt_score`` (K,).
        """
        labels = self._labels(data_samples)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(batch_seed())
            if float(torch.rand(())) >= self.prob:
                return inputs, data_samples
            mix = self.cutmix if float(torch.rand(())) < self.cutmix_prob else self.mixup
            # (B, V, C, T, H, W) -> (B, V * C, T, H, W): a "video" to torchvision, whose
            # CutMix box covers the last two axes, the same for every frame and channel.
            videos = {name: tv_tensors.Video(x.flatten(1, 2)) for name, x in inputs.items()}
            mixed, soft = mix(videos, labels)
        inputs = {name: mixed[name].as_subclass(Tensor).reshape(x.shape)
                  for name, x in inputs.items()}
        for sample, target in zip(data_samples, soft):
            sample.gt_score = target
        return inputs, data_samples

    def _labels(self, data_samples: List[VideoDataSample]) -> Tensor:
        """(B,) int64 classes, or (B, K) float32 soft targets when every sample has them."""
        if all('gt_score' in sample for sample in data_samples):
            return torch.stack([sample.gt_score for sample in data_samples])
        labels = [sample.gt_label for sample in data_samples]
        if any(label.is_floating_point() or label.numel() != 1 for label in labels):
            raise ValueError('MixUpCutMix mixes class labels, but this batch holds regression '
                             'targets: remove batch_augments from the data_preprocessor of a '
                             'regression config.')
        return torch.stack([label.reshape(()) for label in labels])
