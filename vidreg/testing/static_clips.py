"""Static clips: does a self-supervised arrow-of-time task leave a shortcut on a backbone?

A static clip (one frame repeated) has no arrow of time, so the features the direction head
sees for it "forward" and "reversed" must be the same. Reversing a stage's features
(``feats.flip(2)``) instead of the clip gives different ones whenever a layer before the
stage mixes frames (temporal convolutions, temporal strides): :func:`static_clip_check`
measures both ways on a backbone, and :func:`probe_accuracy` how well a linear probe tells
the two apart on held-out static clips (0.5 is chance).
"""
import inspect
from typing import Callable, Dict, Iterator, NamedTuple, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from vidreg.models.backbones.base_backbone import BaseBackbone
from vidreg.models.ssl.arrow_of_time_branch import reverse_some
from vidreg.registry import MODELS

from .tiny import TinySpec

__all__ = ['static_clips', 'relative_difference', 'probe_accuracy', 'BackboneCase',
           'backbone_cases', 'static_clip_check']

Lower = Callable[[Tensor], Tensor]


def static_clips(batch: int, frames: int, size: int, channels: int = 3, *,
                 seed: int = 0) -> Tensor:
    """Random frames, each repeated ``frames`` times: (B, C, T, H, W), no order at all."""
    generator = torch.Generator().manual_seed(seed)
    frame = torch.randn(batch, channels, 1, size, size, generator=generator)
    return frame.expand(-1, -1, frames, -1, -1).contiguous()


def relative_difference(a: Tensor, b: Tensor) -> float:
    """``|a - b| / |b|`` (Frobenius norms)."""
    return float((a - b).norm() / b.norm().clamp_min(1e-12))


def _pooled(feats: Tensor) -> Tensor:
    """Features (N, D, T, H, W) averaged over space: (N, D * T)."""
    return feats.mean((3, 4)).flatten(1) if feats.dim() == 5 else feats.flatten(1)


def probe_accuracy(forward: Tensor, reversed_: Tensor, *, train_share: float = 0.5,
                   steps: int = 300, seed: int = 0) -> float:
    """Held-out accuracy of a linear probe telling ``reversed_`` rows from ``forward`` ones.

    Args:
        forward: Features of N clips as they are, (N, D, T, H, W) or (N, ...).
        reversed_: What the direction head gets for the same clips reversed, same shape.
        train_share: Share of the clips the probe is fitted on; the rest are held out
            (a clip's forward and reversed rows stay on the same side).
        steps: Full-batch Adam steps of the logistic regression.
        seed: Seed of the split and of the probe's initialisation.

    Returns:
        Accuracy on the held-out rows (0.5 = chance).
    """
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(forward.shape[0], generator=generator)
    cut = int(train_share * len(order))
    x = torch.stack([_pooled(forward), _pooled(reversed_)], 1).detach()  # (N, 2, F)
    mean, std = x[order[:cut]].mean((0, 1)), x[order[:cut]].std((0, 1)).clamp_min(1e-6)
    x = (x - mean) / std
    labels = torch.tensor([0.0, 1.0]).expand(x.shape[0], 2)
    probe = nn.Linear(x.shape[2], 1)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        nn.init.normal_(probe.weight, std=0.01)
    optimizer = torch.optim.Adam(probe.parameters(), lr=0.05)
    train, held_out = order[:cut], order[cut:]
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(probe(x[train]).squeeze(-1), labels[train])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        predicted = (probe(x[held_out]).squeeze(-1) > 0).float()
    return float((predicted == labels[held_out]).float().mean())


class BackboneCase(NamedTuple):
    """A built backbone and the part of it below the stage an arrow-of-time branch reads.

    Attributes:
        name: Registered name and variant, e.g. ``'ResNet3D temporal_kernels=(3, 3, 3, 3)'``.
        stage: The stage read (``'layer3'`` when the backbone has one, else its last stage;
            None for a backbone that cannot return a stage (no ``out_stages``): its output).
        lower: Clips (N, C, T, H, W) -> features of the stage.
        frames: T of its test input.
        size: H = W of its test input.
    """

    name: str
    stage: Optional[str]
    lower: Lower
    frames: int
    size: int


def backbone_cases(specs: Dict[str, TinySpec],
                   variants: Sequence[Tuple[str, dict, int]] = ()) -> Iterator[BackboneCase]:
    """A case for every backbone of ``specs``, then one per ``(name, extra_kwargs, frames)``.

    Each backbone is built from its tiny kwargs (plus the variant's), seed 0, in eval mode
    (BatchNorm running statistics, so a row's features do not depend on the rest of the
    batch), with ``out_stages=(stage,)`` when it has stages.
    """
    entries = [(name, spec, {}, spec.frames) for name, spec in sorted(specs.items())
               if spec.role == 'backbone']
    entries += [(name, specs[name], dict(extra), frames) for name, extra, frames in variants]
    for name, spec, extra, frames in entries:
        label = ' '.join([name] + [f'{key}={value}' for key, value in extra.items()])
        cfg = dict(type=name, **{**spec.kwargs, **extra})
        torch.manual_seed(0)
        backbone = MODELS.build(cfg)
        if not (isinstance(backbone, BaseBackbone)
                and 'out_stages' in inspect.signature(type(backbone)).parameters):
            yield BackboneCase(label, None, backbone.eval(), frames, spec.size)
            continue
        names = backbone.stage_names
        stage = 'layer3' if 'layer3' in names else names[-1]
        torch.manual_seed(0)
        backbone = MODELS.build(dict(cfg, out_stages=(stage,))).eval()
        yield BackboneCase(label, stage, lambda x, b=backbone, s=stage: b(x)[s], frames,
                           spec.size)


def static_clip_check(case: BackboneCase, *, clips: int = 2, probe: bool = False,
                      seed: int = 0) -> Dict[str, float]:
    """Static clips through a backbone, forward and "reversed", before and after issue 24.

    Before: the stage's features flipped in time (the old ``ArrowOfTimeLoss``). After: the
    features of the reversed clip, as :func:`reverse_some` makes them for the branch.

    Args:
        case: The backbone and its stage.
        clips: Static clips to run (the probe fits on half of them, tests on the rest).
        probe: Also fit the linear probe (``probe_before``, ``probe_after``).
        seed: Seed of the clips and the probe.

    Returns:
        ``frames_at_stage`` (T_s), ``diff_before``, ``diff_after`` (relative difference
        of the "reversed" features to the forward ones), and the probe accuracies when
        asked.
    """
    x = static_clips(clips, case.frames, case.size, seed=seed)
    with torch.no_grad():
        forward = case.lower(x)
        before = forward.flip(2) if forward.dim() == 5 else forward
        after, labels = reverse_some(x, forward, 1.0, case.lower)
    assert bool(labels.all())
    result = dict(frames_at_stage=forward.shape[2] if forward.dim() == 5 else 1,
                  diff_before=relative_difference(before, forward),
                  diff_after=relative_difference(after, forward))
    if probe:
        result.update(probe_before=probe_accuracy(forward, before, seed=seed),
                      probe_after=probe_accuracy(forward, after, seed=seed))
    return result
