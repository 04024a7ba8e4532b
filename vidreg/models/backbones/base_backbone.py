"""Stage freezing, ``norm_eval`` and named intermediate outputs, shared by every staged backbone."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

from torch import Tensor, nn

__all__ = ['BaseBackbone', 'StageOutput']

# What a staged backbone's forward returns: the last stage, or {stage name: features}.
StageOutput = Union[Tensor, Dict[str, Tensor]]


class BaseBackbone(nn.Module):
    """Base of backbones made of named stages run in order (a stem, then ``layer1`` ...).

    A subclass builds its layers, then calls :meth:`_setup_stages`; it implements
    :meth:`_stages`, which lists the stages in forward order as ``(name, modules)``
    pairs. Stage 0 is the stem. The base class then provides:

    - ``frozen_stages``: -1 freezes nothing, k >= 0 freezes stages 0..k (the stem and
      the next k stages): ``requires_grad=False`` and their BatchNorms kept in eval mode.
    - ``norm_eval``: every BatchNorm stays in eval mode (running statistics used, not
      updated) while the model trains.
    - ``out_stages``: the names of stages whose outputs :meth:`forward_stages` returns,
      as a dict ``{name: features}`` in forward order; empty (the default) returns the
      last stage's tensor. Stages after the last requested one are not run.

    Which stages exist and their shapes are listed in each backbone's docstring
    (``stage_names`` holds the names). Python control flow here depends only on
    constructor arguments, never on tensor values, so forwards stay traceable.

    Args:
        frozen_stages: See above.
        norm_eval: See above.
        out_stages: See above.
    """

    def __init__(self, *, frozen_stages: int = -1, norm_eval: bool = False,
                 out_stages: Optional[Sequence[str]] = None) -> None:
        super().__init__()
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.out_stages = tuple(out_stages or ())

    def _stages(self) -> List[Tuple[str, List[nn.Module]]]:
        """The stages in forward order: ``(name, [modules run in order])``; stage 0 is the stem."""
        raise NotImplementedError

    @property
    def stage_names(self) -> Tuple[str, ...]:
        """Names of the stages in forward order (the valid ``out_stages``)."""
        return tuple(name for name, _ in self._stages())

    def _setup_stages(self) -> None:
        """Check ``frozen_stages`` and ``out_stages`` against the built stages, then freeze."""
        names = self.stage_names
        cls = type(self).__name__
        if not -1 <= self.frozen_stages < len(names):
            raise ValueError(f'{cls}: frozen_stages must be in -1..{len(names) - 1} (stages '
                             f'{", ".join(names)}), got {self.frozen_stages}')
        unknown = [name for name in self.out_stages if name not in names]
        if unknown:
            raise ValueError(f'{cls}: unknown out_stages {unknown}; stages are '
                             f'{", ".join(names)}')
        self._freeze_stages()

    def _freeze_stages(self) -> None:
        for _, modules in self._stages()[:self.frozen_stages + 1]:
            for module in modules:
                module.eval()
                for param in module.parameters():
                    param.requires_grad = False

    def train(self, mode: bool = True) -> 'BaseBackbone':
        """Set train mode, keeping frozen stages (and all BatchNorms if ``norm_eval``) in eval."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, nn.modules.batchnorm._BatchNorm):
                    module.eval()
        return self

    def forward_stages(self, x: Tensor) -> StageOutput:
        """Run the stages in order.

        Args:
            x: The input of the stem (clips, or folded frames for a 2D backbone).

        Returns:
            The last stage's output, or ``{name: output}`` for the ``out_stages``.
        """
        outs = {}
        last = self.out_stages and max(self.stage_names.index(n) for n in self.out_stages)
        for index, (name, modules) in enumerate(self._stages()):
            for module in modules:
                x = module(x)
            if name in self.out_stages:
                outs[name] = x
            if self.out_stages and index == last:
                break
        return outs if self.out_stages else x

    def forward_between(self, x: Tensor, *, after: Optional[str] = None,
                        until: Optional[str] = None) -> Tensor:
        """Run a contiguous range of stages, whatever ``out_stages`` says.

        Splits the network for branches on mid-level features (e.g. the trunk shared by
        a classifier and an arrow-of-time head above ``layer3``): running
        ``forward_between(x, until=s)`` then ``forward_between(.., after=s)`` equals
        ``forward`` without ``out_stages``.

        Args:
            x: Clips (B, C, T, H, W) when ``after`` is None, else the output of stage
                ``after`` as ``out_stages`` returns it, (B, D_s, T_s, H_s, W_s).
            after: Start after this stage (None: at the stem).
            until: Stop after this stage, included (None: the last stage).

        Returns:
            The output of stage ``until``, (B, D_u, T_u, H_u, W_u).
        """
        return self._run_between(x, after=after, until=until)

    def _run_between(self, x: Tensor, *, after: Optional[str], until: Optional[str]) -> Tensor:
        names = self.stage_names
        for name in (after, until):
            if name is not None and name not in names:
                raise ValueError(f'{type(self).__name__}: unknown stage {name!r}; stages are '
                                 f'{", ".join(names)}')
        first = 0 if after is None else names.index(after) + 1
        last = len(names) - 1 if until is None else names.index(until)
        for _, modules in self._stages()[first:last + 1]:
            for module in modules:
                x = module(x)
        return x
