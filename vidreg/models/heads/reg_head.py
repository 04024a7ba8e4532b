"""Regression head: emits numbers in the targets' units, learning them standardised."""
from typing import List, Optional, Sequence, Union

import torch
from torch import Tensor, nn

from vidreg.registry import MODELS
from vidreg.structures import VideoDataSample

from .base_head import BaseHead

# A target whose spread is below this (relative to its size) is treated as constant: its
# standard deviation would only scale rounding noise up, so it is left at 1.
_CONSTANT_TARGET_RTOL = 1e-6


def target_statistics(targets: Tensor) -> tuple:
    """Mean and standard deviation of each target, for standardising them.

    Args:
        targets: Finite training targets, (N, K).

    Returns:
        ``(mean, std)``, each (K,) float32. A constant target (std 0, or one sample) gets
        std 1: it is only shifted, never divided by zero.
    """
    targets = targets.double()
    mean = targets.mean(dim=0)  # (K,)
    std = targets.std(dim=0, unbiased=False)  # (K,)
    constant = std <= _CONSTANT_TARGET_RTOL * (1 + mean.abs())
    std = torch.where(constant, torch.ones_like(std), std)
    return mean.float(), std.float()


@MODELS.register_module()
class RegHead(BaseHead):
    """``(B, E) -> (B, K)`` predicted targets, in the targets' own units.

    **Standardised targets.** Targets in arbitrary units (percent, seconds, a 1-9 scale)
    would give an MSE whose gradients grow with their scale and make a network diverge
    at an ordinary learning rate. The head therefore keeps each target's training mean
    and standard deviation in the buffers ``target_mean`` and ``target_std`` (K,) (so
    they are saved in every checkpoint and exported with the network) and:

    - predicts ``target_mean + target_std * fc(x)``: the linear layer learns
      standardised values, and every consumer (metrics, ``tools/test.py --dump``,
      inference, the exported ONNX graph) gets the targets' own units;
    - computes the loss between standardised predictions and standardised targets
      (:meth:`loss_of_outputs`).

    ``TargetStatsHook`` fits the buffers from the training split's labels when a
    training run starts (not when it resumes), if ``standardize_targets`` is on.
    Until then (and for checkpoints written before the buffers existed, which load
    with them) they are mean 0, std 1: the head behaves as an unstandardised one.

    **output_range.** With ``(low, high)`` the prediction is
    ``low + (high - low) * sigmoid(fc(x))``, in target units, so it never leaves the
    range; the statistics then only scale the loss.

    Args:
        in_channels: Embedding size E (injected by the Recognizer).
        num_outputs: Number of regression targets K.
        dropout: Dropout probability before the linear layer.
        loss: Loss config (default ``MSELoss``; also ``L1Loss``, ``SmoothL1Loss``),
            applied to standardised predictions and targets.
        output_range: ``(low, high)`` maps outputs through a sigmoid into this range
            (target units), e.g. ``(0, 3)`` for DAiSEE's ordinal levels. ``None`` leaves
            them unbounded.
        standardize_targets: Fit the target statistics from the training split when
            training starts. ``False`` keeps mean 0 and std 1: the head learns the raw
            targets (as before the statistics existed).
        loss_name: Key of the loss in the losses dict (see :class:`BaseHead`).
    """

    task = 'regression'

    def __init__(self, *, in_channels: int, num_outputs: int = 1, dropout: float = 0.0,
                 loss: Union[dict, nn.Module, None] = None,
                 output_range: Optional[Sequence[float]] = None,
                 standardize_targets: bool = True,
                 loss_name: str = 'loss_reg') -> None:
        super().__init__(in_channels=in_channels, out_channels=num_outputs, dropout=dropout,
                         loss=loss or dict(type='MSELoss'), loss_name=loss_name)
        if output_range is not None and not output_range[0] < output_range[1]:
            raise ValueError(
                f'output_range must be (low, high) with low < high, got {output_range}')
        self.num_outputs = num_outputs
        self.output_range = None if output_range is None else tuple(map(float, output_range))
        self.standardize_targets = bool(standardize_targets)
        self.register_buffer('target_mean', torch.zeros(num_outputs))  # (K,)
        self.register_buffer('target_std', torch.ones(num_outputs))  # (K,)

    def forward(self, x: Tensor) -> Tensor:
        """Args: x (B, E). Returns predicted targets (B, K), in the targets' units."""
        out = super().forward(x)  # (B, K), standardised
        if self.output_range is not None:
            low, high = self.output_range
            return low + (high - low) * torch.sigmoid(out)
        return self.target_mean + self.target_std * out

    def standardize(self, values: Tensor) -> Tensor:
        """Values (B, K) in target units -> standardised (B, K)."""
        return (values - self.target_mean) / self.target_std

    def loss_of_outputs(self, outputs: Tensor, data_samples: List) -> Tensor:
        """The loss between standardised predictions (B, K) and standardised targets."""
        target = self.targets(data_samples, outputs.device)
        return self.loss_module(self.standardize(outputs), self.standardize(target))

    @torch.no_grad()
    def fit_target_stats(self, targets: Tensor) -> None:
        """Set ``target_mean`` and ``target_std`` from the training targets (N, K)."""
        if targets.dim() != 2 or targets.shape[1] != self.num_outputs or not len(targets):
            raise ValueError(f'RegHead(num_outputs={self.num_outputs}) needs training targets '
                             f'(N, {self.num_outputs}), got {tuple(targets.shape)}: check '
                             f'label_columns against num_outputs.')
        if not torch.isfinite(targets).all():
            raise ValueError('RegHead: the training targets hold non-finite values.')
        mean, std = target_statistics(targets)
        self.target_mean.copy_(mean)
        self.target_std.copy_(std)

    def complete_state_dict(self, state_dict: dict, prefix: str = '') -> None:
        """Give a checkpoint written before the target statistics existed (it has this
        head's ``fc`` but no ``target_mean``/``target_std``) the identity statistics, so it
        loads and predicts as it did. Called by every ``load_state_dict`` and by
        :func:`vidreg.utils.checkpoint.complete_state_dict` before keys are compared."""
        if prefix + 'fc.weight' not in state_dict:
            return
        state_dict.setdefault(prefix + 'target_mean', torch.zeros(self.num_outputs))
        state_dict.setdefault(prefix + 'target_std', torch.ones(self.num_outputs))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:
        self.complete_state_dict(state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def targets(self, data_samples: List, device: torch.device) -> Tensor:
        """Returns targets (B, K) float32, in their own units."""
        target = torch.stack([s.gt_label.reshape(-1).float() for s in data_samples]).to(device)
        if target.shape[1] != self.num_outputs:
            raise ValueError(f'Labels have {target.shape[1]} values but the head has '
                             f'num_outputs={self.num_outputs}.')
        return target

    def activate(self, outputs: Tensor) -> Tensor:
        return outputs

    def pack(self, values: Tensor, data_samples: Optional[List]) -> List:
        """Sets ``pred_value`` (K,) on each sample."""
        data_samples = data_samples or [VideoDataSample() for _ in range(len(values))]
        for sample, value in zip(data_samples, values):
            sample.pred_value = value.detach()
        return data_samples
