"""Fit a regression head's target statistics from the training split's labels."""
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from vidreg.config import ConfigError
from vidreg.models.heads import RegHead
from vidreg.registry import HOOKS


def annotation_targets(dataset) -> torch.Tensor:
    """The labels of every row of a dataset as read from its annotations (no video decoded).

    Args:
        dataset: An mmengine dataset (``get_data_info(i)['label']``: a number or a list of
            numbers per row; rows of clip samples repeat their video's label).

    Returns:
        Targets (N, K) float64.
    """
    rows = [dataset.get_data_info(i)['label'] for i in range(len(dataset))]
    return torch.tensor([row if isinstance(row, (list, tuple)) else [row] for row in rows],
                        dtype=torch.float64)


@HOOKS.register_module()
class TargetStatsHook(Hook):
    """Sets the mean and standard deviation of each regression target before training.

    When a training run starts from scratch or from ``load_from`` (fine-tuning), the
    recognizer's :class:`~vidreg.models.heads.RegHead` (with ``standardize_targets``,
    the default) gets the statistics of the training split's labels, read from the
    annotations once. The head stores them in its buffers, so checkpoints carry them and
    testing, inference and export need no training data. A resumed run keeps its
    checkpoint's statistics. Classification models are left alone.
    """

    priority = 'VERY_HIGH'  # before anything validates (CheckpointAfterValHook.before_train)

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        head = getattr(model, 'head', None)
        if not isinstance(head, RegHead) or not head.standardize_targets:
            return
        if runner.iter > 0:
            runner.logger.info('Resumed: the regression targets keep the checkpoint\'s '
                               f'statistics (mean {head.target_mean.tolist()}, std '
                               f'{head.target_std.tolist()}).')
            return
        try:
            head.fit_target_stats(annotation_targets(runner.train_dataloader.dataset))
        except ValueError as error:  # labels that do not fit the head: a config mistake
            raise ConfigError(str(error)) from None
        runner.logger.info(
            f'Regression targets standardised with the training split\'s statistics: mean '
            f'{head.target_mean.tolist()}, std {head.target_std.tolist()} (predictions are '
            f'in the targets\' units; model.head.standardize_targets=False turns this off).')
