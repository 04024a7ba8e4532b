"""Stop training at the first non-finite loss or weight, before anything saves it."""
from typing import Optional

import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.nn.utils import get_total_norm

from vidreg.models.heads import RegHead
from vidreg.registry import HOOKS


class TrainingDivergedError(RuntimeError):
    """Training produced a non-finite loss or non-finite weights (tools exit with code 2)."""


def trained_weights_finite(model: torch.nn.Module) -> bool:
    """Whether every parameter that the optimizer updates is finite.

    Buffers are not checked: some hold infinities by design (an attention mask of ``-inf``),
    and a batch that makes normalisation statistics non-finite makes the loss so too.
    """
    tensors = [p.detach() for p in model.parameters() if p.requires_grad and p.numel()]
    return not tensors or bool(torch.isfinite(get_total_norm(tensors, float('inf'))))


@HOOKS.register_module()
class DivergenceCheckHook(Hook):
    """Raises :class:`TrainingDivergedError` when a training step's loss is not finite or
    leaves non-finite weights (what an inf or NaN gradient does).

    It runs first after every training iteration, so the broken state is never
    checkpointed: the checkpoints of earlier epochs (and ``last_checkpoint``) stay as
    they were. The error is one line naming the epoch and iteration, the last good
    checkpoint and what to try. Under ``--amp`` a step whose scaled gradients overflow
    is skipped by the dynamic loss scaler and leaves the weights unchanged, so it does
    not count; a non-finite loss does (the loss is computed before any scaling). In
    distributed training the ranks agree (one ``all_reduce`` of a flag per iteration).
    """

    priority = 'VERY_HIGH'

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        loss = (outputs or {}).get('loss')
        loss_ok = loss is None or bool(torch.isfinite(torch.as_tensor(loss)).all())
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        weights_ok = trained_weights_finite(model)
        if get_world_size() > 1:
            flags = torch.tensor([float(not loss_ok), float(not weights_ok)])
            all_reduce(flags, op='max')
            loss_ok, weights_ok = not flags[0].item(), not flags[1].item()
        if loss_ok and weights_ok:
            return
        raise TrainingDivergedError(self._message(runner, batch_idx, loss, loss_ok, model))

    @staticmethod
    def _message(runner, batch_idx: int, loss, loss_ok: bool, model) -> str:
        what = (f'the loss is {float(torch.as_tensor(loss).detach().float().mean())}' if not loss_ok
                else 'the step left non-finite weights (an inf or NaN gradient)')
        loader = runner.train_dataloader
        where = (f'epoch {runner.epoch + 1}, iteration {batch_idx + 1}/{len(loader)} '
                 f'(iteration {runner.iter + 1} of the run)')
        last = runner.message_hub.get_info('last_ckpt')
        kept = (f'the last good checkpoint, {last}, is kept' if last
                else 'no checkpoint had been saved yet')
        lrs = runner.optim_wrapper.get_lr().get('lr') or []
        lr = f' than {lrs[0]:g}' if lrs else ''
        head = getattr(model, 'head', None)
        if isinstance(head, RegHead) and not head.standardize_targets:
            targets = ', or standardise the targets again (model.head.standardize_targets=True)'
        elif isinstance(head, RegHead):
            targets = ', check the targets for outliers'
        else:
            targets = ''
        return (f'training diverged at {where}: {what}; stopped, {kept}. Try a lower learning '
                f'rate{lr} (--cfg-options lr=...){targets}, or clip gradients '
                f'(clip_grad=dict(max_norm=10) in the config\'s optim_wrapper).')
