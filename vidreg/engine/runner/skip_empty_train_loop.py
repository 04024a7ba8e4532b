"""mmengine's epoch-based training loop, skipping batches left empty by skipped samples."""
import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.runner import EpochBasedTrainLoop

from vidreg.datasets.video_collate import is_empty_batch
from vidreg.registry import LOOPS

from .empty_batch import run_hooks_only


@LOOPS.register_module()
class SkipEmptyTrainLoop(EpochBasedTrainLoop):
    """``EpochBasedTrainLoop`` that skips a batch in which every sample failed to decode.

    With ``on_bad_sample='warn_skip'`` a batch can be empty (say ``batch_size=1`` and a
    broken video, see :func:`~vidreg.datasets.video_collate.is_empty_batch`): the model
    does not run on it, the hooks do (so the skipped samples are counted and reported), and
    the epoch goes on. In distributed training the ranks agree on skipping (one
    ``all_reduce`` per iteration, only for ``warn_skip`` datasets): a step that one rank
    skipped would leave the others waiting for its gradients, so the others' samples of
    that step are not trained on either.

    Arguments: as ``EpochBasedTrainLoop``.
    """

    def __init__(self, runner, dataloader, max_epochs: int, val_begin: int = 1,
                 val_interval: int = 1, dynamic_intervals=None) -> None:
        super().__init__(runner, dataloader, max_epochs, val_begin=val_begin,
                         val_interval=val_interval, dynamic_intervals=dynamic_intervals)
        self._may_be_empty = getattr(self.dataloader.dataset, 'on_bad_sample', None) \
            == 'warn_skip'

    def run_iter(self, idx: int, data_batch: dict) -> None:
        """Train on one batch, or only run the hooks when it (on any rank) is empty."""
        if not self._skip(data_batch):
            super().run_iter(idx, data_batch)
            return
        run_hooks_only(self, 'train', idx, data_batch)
        self._iter += 1

    def _skip(self, data_batch: dict) -> bool:
        empty = is_empty_batch(data_batch)
        if self._may_be_empty and get_world_size() > 1:
            flag = torch.tensor([float(empty)])
            all_reduce(flag, op='max')
            empty = bool(flag.item())
        return empty
