"""A Recognizer with auxiliary self-supervised branches that run in training only (seed 003)."""
from typing import Dict, List, Mapping, Optional, Union

from torch import Tensor, nn

from vidreg.models.backbones.base_backbone import BaseBackbone
from vidreg.models.ssl.base_ssl_branch import BaseSSLBranch, Trunk
from vidreg.pipeline.modality import ModalitySpec
from vidreg.registry import MODELS
from vidreg.structures import Inputs, VideoDataSample

from .recognizer import Recognizer

BRANCH_PREFIX = 'branches.'


@MODELS.register_module()
class MultiTaskRecognizer(Recognizer):
    """Shared trunk, the classification (or regression) branch and auxiliary losses.

    Only :meth:`loss` differs from :class:`Recognizer`: it runs the backbone once, stage by
    stage, keeping the output of every stage an auxiliary branch reads, adds
    ``loss_<name> = weight * branch(...)`` for each branch of ``branches`` (e.g.
    ``ArrowOfTimeBranch``, ``CycleConsistencyBranch``) and the head's loss times ``cls_weight``
    (left out when 0: self-supervised pre-training without labels). Prediction, the
    ``'tensor'`` mode and the validation loss are the plain recognizer's, so inference
    costs what the plain classifier costs.

    Checkpoints: the branches' parameters are stored under ``branches.<name>.``; every
    other key is the plain :class:`Recognizer`'s. The rule: a multi-task checkpoint loads
    into a ``Recognizer`` of the same backbone/temporal/head by dropping the
    ``branches.`` keys (:meth:`plain_state_dict`); mmengine's non-strict loading
    (``load_from``, ``tools/test.py``) does exactly that and lists them as unexpected.
    A plain checkpoint loads into a ``MultiTaskRecognizer`` the same way (the branches
    keep their initial weights).

    Args:
        backbone: A staged backbone (``BaseBackbone``) without ``out_stages``.
        temporal: See :class:`Recognizer`.
        head: See :class:`Recognizer`.
        branches: ``{name: config or BaseSSLBranch}``; each reads its ``stage``.
        cls_weight: Multiplier of the head's loss; 0 leaves it out (no labels needed).
        input_key: See :class:`Recognizer`.
        modalities: See :class:`Recognizer`.
        data_preprocessor: See :class:`Recognizer`.
        channels_last: See :class:`Recognizer`.
        max_views_per_batch: See :class:`BaseRecognizer`.
        init_cfg: mmengine weight-initialisation config.
    """

    loss_only_prefixes = (BRANCH_PREFIX,)

    def __init__(self,
                 *,
                 backbone: Union[dict, nn.Module],
                 temporal: Union[dict, nn.Module],
                 head: Union[dict, nn.Module],
                 branches: Mapping[str, Union[dict, BaseSSLBranch]],
                 cls_weight: float = 1.0,
                 input_key: str = 'imgs',
                 modalities: Optional[Mapping[str, ModalitySpec]] = None,
                 data_preprocessor: Union[dict, nn.Module, None] = None,
                 channels_last: bool = False,
                 max_views_per_batch: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(backbone=backbone, temporal=temporal, head=head, input_key=input_key,
                         modalities=modalities, data_preprocessor=data_preprocessor,
                         channels_last=channels_last,
                         max_views_per_batch=max_views_per_batch, init_cfg=init_cfg)
        if not isinstance(self.backbone, BaseBackbone):
            raise TypeError(f'MultiTaskRecognizer needs a staged backbone (BaseBackbone: '
                            f'ResNet2D, ResNet3D, VideoResNet, C3D), got '
                            f'{type(self.backbone).__name__}')
        if self.backbone.out_stages:
            raise ValueError('MultiTaskRecognizer: remove backbone out_stages; each auxiliary '
                             'loss names the stage it reads with its own `stage`.')
        self.branches = nn.ModuleDict({
            name: cfg if isinstance(cfg, nn.Module) else MODELS.build(cfg)
            for name, cfg in branches.items()})
        stage_names = self.backbone.stage_names
        for name, branch in self.branches.items():
            if not isinstance(branch, BaseSSLBranch):
                raise TypeError(f'branches[{name!r}] must build a BaseSSLBranch, got '
                                f'{type(branch).__name__}')
            if branch.stage is not None and branch.stage not in stage_names:
                raise ValueError(f'branches[{name!r}].stage={branch.stage!r} is not a stage '
                                 f'of {type(self.backbone).__name__}: {", ".join(stage_names)} '
                                 f'(or None for the input clips)')
        # the stages read, in forward order (None = the input clips comes first)
        read = {branch.stage for branch in self.branches.values()}
        self._read_stages = sorted(read, key=lambda s: -1 if s is None else stage_names.index(s))
        self.cls_weight = cls_weight

    def upper_trunk(self, feats: Tensor, after: Optional[str]) -> Tensor:
        """The shared trunk above stage ``after``: (N, D_s, T_s, H_s, W_s) -> (N, E)."""
        return self.temporal(self.backbone.forward_between(feats, after=after))

    def trunk(self, stage: Optional[str]) -> Trunk:
        """The shared trunk below and above ``stage`` (None: the input clips)."""
        def lower(clips: Tensor) -> Tensor:
            if stage is None:
                return clips
            return self.backbone.forward_between(clips, until=stage)
        return Trunk(lower=lower, upper=lambda feats: self.upper_trunk(feats, stage))

    def loss(self, inputs: Inputs, data_samples: Optional[List[VideoDataSample]]
             ) -> Dict[str, Tensor]:
        """Named losses of inputs ``{name: (B, V, C, T, H, W)}``: the head's, then
        ``loss_<name>``.

        ``data_samples`` may be None (or lack labels) when ``cls_weight`` is 0.
        """
        clips, num_views = self.fold_views(inputs)
        clips = self.select_input(clips)  # (N, C, T, H, W)
        feats, after, stage_feats = clips, None, {}
        for stage in self._read_stages:
            if stage is not None:
                feats = self.backbone.forward_between(feats, after=after, until=stage)
                after = stage
            stage_feats[stage] = feats  # (N, D_s, T_s, H_s, W_s)
        losses = {}
        if self.cls_weight:
            embeddings = self.upper_trunk(feats, after)  # (N, E)
            head_losses = self.loss_by_feat(embeddings, self.repeat_views(data_samples, num_views))
            losses.update({key: value * self.cls_weight for key, value in head_losses.items()})
        for name, branch in self.branches.items():
            stage = branch.stage
            losses[f'loss_{name}'] = branch.loss_weight * branch(
                stage_feats[stage], self.trunk(stage), clips)
        return losses

    @staticmethod
    def plain_state_dict(state_dict: Mapping[str, Tensor]) -> Dict[str, Tensor]:
        """The keys a plain :class:`Recognizer` has: ``state_dict`` minus ``branches.*``."""
        return {key: value for key, value in state_dict.items()
                if not key.startswith(MultiTaskRecognizer.loss_only_prefixes)}
