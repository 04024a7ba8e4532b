"""Evaluation loops that also report the loss, from one run of the network per batch."""
from typing import Dict, List, Literal, Set, Tuple

import torch
from mmengine.dataset import DefaultSampler
from mmengine.dist import all_gather_object
from mmengine.model import is_model_wrapper
from mmengine.runner.amp import autocast

from vidreg.datasets.video_collate import is_empty_batch
from vidreg.structures import Inputs

from .empty_batch import run_hooks_only


class LossEvalMixin:
    """Run an evaluation epoch that reports the loss beside the evaluator's metrics.

    Mixed into mmengine's ``ValLoop`` / ``TestLoop`` (see :class:`VidregValLoop`,
    :class:`VidregTestLoop`), whose constructors it keeps. For each batch it calls
    ``data_preprocessor(data, False)`` and then the unwrapped model's
    ``loss_and_predict(inputs, data_samples)``: the network runs once and gives both the
    predictions (to the evaluator and the hooks, as mmengine's loops do) and the losses.
    Batches whose samples lack ``gt_label`` (an unlabelled test set), and models without
    ``loss_and_predict``, are only predicted.

    Losses are parsed as in training (``BaseModel.parse_losses``: the total is the sum of
    every key containing ``'loss'``) and averaged over videos (each batch weighted by its
    number of videos), over all processes. The epoch's metrics are the evaluator's,
    followed by ``loss`` (the total) and, when the model returns several terms, each term
    (``loss_cls``, ``loss_<branch>``, ...). They come after the evaluator's so that
    ``save_best='auto'`` keeps selecting by the first metric. The loggers show them as
    ``val/loss``; ``ReduceOnPlateauLR(monitor='loss')`` steps on the total.

    The loss is exact with P processes too: mmengine's ``DefaultSampler`` pads the last
    round with up to P - 1 repeated videos, which the evaluator drops; here a batch that
    ends with such repeats (see :func:`padded_sample_ids`) has its loss computed again on
    its real videos only (one extra pass, on that batch only).
    """

    _stage: Literal['val', 'test']  # names the hooks the loop calls

    def run(self) -> dict:
        """Evaluate one epoch; returns the metrics, then the loss."""
        stage = self._stage
        self.runner.call_hook(f'before_{stage}')
        self.runner.call_hook(f'before_{stage}_epoch')
        self.runner.model.eval()
        self._loss_sums: Dict[str, float] = {}
        self._loss_videos = 0
        self._padded_ids = padded_sample_ids(self.dataloader.sampler)
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        losses = self._mean_losses()
        clashes = sorted(set(losses) & set(metrics))
        if clashes:
            raise ValueError(f'The {stage} evaluator reports {clashes}, names the loop uses for '
                             f'the loss; set a prefix on that metric (prefix=...).')
        metrics.update(losses)
        self.runner.call_hook(f'after_{stage}_epoch', metrics=metrics)
        self.runner.call_hook(f'after_{stage}')
        return metrics

    @torch.no_grad()
    def run_iter(self, idx: int, data_batch: dict) -> None:
        """Predict one batch (recording its loss) and feed the evaluator.

        A batch whose every sample was skipped (``on_bad_sample='warn_skip'``, see
        :func:`~vidreg.datasets.video_collate.is_empty_batch`) runs only the hooks: its
        samples are missing from the metrics and reported by ``SkippedSamplesHook``.
        """
        stage = self._stage
        if is_empty_batch(data_batch):
            run_hooks_only(self, stage, idx, data_batch)
            return
        self.runner.call_hook(f'before_{stage}_iter', batch_idx=idx, data_batch=data_batch)
        with autocast(enabled=self.fp16):
            outputs = self._predict(data_batch)
        self.evaluator.process(data_samples=outputs, data_batch=data_batch)
        self.runner.call_hook(f'after_{stage}_iter', batch_idx=idx, data_batch=data_batch,
                              outputs=outputs)

    def _predict(self, data_batch: dict) -> List:
        model = self.runner.model
        model = model.module if is_model_wrapper(model) else model
        data = model.data_preprocessor(data_batch, False)
        samples = data['data_samples']
        labelled = bool(samples) and all('gt_label' in sample for sample in samples)
        if not labelled or not hasattr(model, 'loss_and_predict'):
            return model(**data, mode='predict')
        losses, outputs = model.loss_and_predict(data['inputs'], samples)
        # The sampler's repeats come last, in the last batch of a process: count the others.
        real = sum(sample.metainfo.get('sample_idx') not in self._padded_ids
                   for sample in samples)
        if real < len(samples):
            losses = model.loss(_first(data['inputs'], real), samples[:real]) if real else None
        if losses is not None:
            _, log_vars = model.parse_losses(losses)  # total first, under 'loss'
            for name, value in log_vars.items():
                self._loss_sums[name] = self._loss_sums.get(name, 0.0) + value.item() * real
            self._loss_videos += real
        return outputs

    def _mean_losses(self) -> Dict[str, float]:
        """Video-weighted means over all processes: ``loss``, then each term if several."""
        parts: List[Tuple[Dict[str, float], int]] = all_gather_object(
            (self._loss_sums, self._loss_videos))
        videos = sum(count for _, count in parts)
        if not videos:
            return {}
        names = list(dict.fromkeys(name for sums, _ in parts for name in sums))
        means = {name: sum(sums.get(name, 0.0) for sums, _ in parts) / videos for name in names}
        return means if len(means) > 2 else {'loss': means['loss']}


def padded_sample_ids(sampler) -> Set[int]:
    """Dataset indices that ``sampler`` gives this process only to pad the last round.

    mmengine's ``DefaultSampler`` (``round_up=True``) extends the N indices to a multiple
    of the P processes by repeating the first ones, then gives process ``r`` the positions
    ``r, r + P, ...``; the positions >= N are the repeats, and each of those indices comes
    to this process once (its first occurrence went to another). Empty for one process and
    for other samplers.
    """
    if not isinstance(sampler, DefaultSampler) or sampler.world_size < 2:
        return set()
    real = len(sampler.dataset)
    return {index for position, index in
            zip(range(sampler.rank, sampler.total_size, sampler.world_size), sampler)
            if position >= real}


def _first(inputs: Inputs, count: int) -> Inputs:
    """The first ``count`` samples of a batch's inputs (every modality)."""
    return {key: value[:count] for key, value in inputs.items()}
