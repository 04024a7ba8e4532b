"""Layer-wise learning-rate decay (LLRD) on top of mmengine's parameter-wise options."""
import re
from typing import Dict, List, Optional, Tuple

from mmengine.optim import DefaultOptimWrapperConstructor
from torch import nn

from vidreg.registry import OPTIM_WRAPPER_CONSTRUCTORS

# Where a backbone's blocks are, by parameter name below ``backbone.`` (also inside a wrapper
# attribute, e.g. ``backbone.model.blocks.3.``): the block index N.
LAYER_RULES: Tuple[Tuple[str, str], ...] = (
    ('blocks.N (ViT, VideoMAE, MViT)', r'(?:^|\.)blocks\.(\d+)\.'),
    ('features.N (Swin)', r'(?:^|\.)features\.(\d+)\.'),
    ('layerN (ResNet)', r'(?:^|\.)layer(\d+)\.'),
)
_BACKBONE = re.compile(r'^(.*?backbone\.)(.*)$')


def _layer_rule(names: List[str]) -> Tuple[str, re.Pattern]:
    """The rule of :data:`LAYER_RULES` whose blocks the backbone parameters ``names`` show."""
    for label, pattern in LAYER_RULES:
        rule = re.compile(pattern)
        if any(rule.search(name) for name in names):
            return label, rule
    known = ', '.join(label for label, _ in LAYER_RULES)
    raise ValueError(
        f'layer_decay_rate: cannot tell the layer of the backbone parameter '
        f'{"backbone." + names[0]!r}: its backbone has none of the block layouts layer-wise '
        f'decay knows ({known}). Set paramwise_cfg.layer_decay_rate=1.0 (no layer decay), or add '
        f'a rule for this backbone to LAYER_RULES in {__name__}.')


def layer_ids(model: nn.Module) -> Tuple[Dict[str, int], int]:
    """The layer of every trainable parameter of ``model``, for layer-wise decay.

    A backbone's parameters listed before its first block in ``named_parameters()`` order
    (its own parameters such as the position embedding and class token, then the stem or
    patch embedding) are layer 0, block N is layer N + 1 (ResNet's ``layer1``
    is layer 1) and whatever comes
    after its last block (final norm), like everything outside backbones (temporal module,
    head), is the top layer ``num_layers - 1``. Block indices come from the parameter names
    (:data:`LAYER_RULES`).

    Returns:
        ``{parameter name: layer id}`` and ``num_layers``.

    Raises:
        ValueError: A backbone has no known block layout (the message names a parameter).
    """
    names = [name for name, param in model.named_parameters() if param.requires_grad]
    by_backbone: Dict[str, List[str]] = {}
    for name in names:
        found = _BACKBONE.match(name)
        if found:
            by_backbone.setdefault(found.group(1), []).append(found.group(2))
    blocks: Dict[str, Optional[int]] = {}  # name -> block index (None: outside any block)
    seen: Dict[str, bool] = {}  # backbone prefix -> a block was met (later parameters are top)
    found_blocks = set()
    for prefix, rest in by_backbone.items():
        _, rule = _layer_rule(rest)
        for name in rest:
            found = rule.search(name)
            index = int(found.group(1)) if found else None
            blocks[prefix + name] = index
            found_blocks.add(index)
        seen[prefix] = False
    found_blocks.discard(None)
    first = min(found_blocks, default=0)  # ResNets count from layer1
    num_layers = max(found_blocks, default=-1) - first + 3  # stem, the blocks, top
    ids = {}
    for name in names:
        found = _BACKBONE.match(name)
        if not found:
            ids[name] = num_layers - 1
            continue
        index = blocks[name]
        if index is not None:
            seen[found.group(1)] = True
            ids[name] = index - first + 1
        else:
            ids[name] = num_layers - 1 if seen[found.group(1)] else 0
    return ids, num_layers


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's constructor plus layer-wise learning-rate decay (BEiT, VideoMAE fine-tuning).

    Every ``paramwise_cfg`` option of :class:`mmengine.optim.DefaultOptimWrapperConstructor`
    applies first (``norm_decay_mult=0.``, ``bias_decay_mult=0.``, ``custom_keys`` such as
    ``pos_embed`` / ``cls_token`` with ``decay_mult=0.``); then the learning rate of each
    parameter is multiplied by ``layer_decay_rate ** (num_layers - 1 - layer_id)`` with the
    layers of :func:`layer_ids`: the head keeps the base rate, the stem gets the smallest.
    Parameters with the same settings then share one group (:func:`merge_equal_groups`):
    mmengine makes a group per parameter, and a foreach or fused optimizer launches its
    kernels once per group, so VideoMAE-B's 162 groups become 28. Each group records
    ``param_names``, ``layer_id`` and ``lr_scale``; a checkpoint saved with a group per
    parameter resumes into them (:func:`regroup_saved_state`).

    Extra ``paramwise_cfg`` key:
        layer_decay_rate: In (0, 1]; 1.0 (default) applies no layer decay (any backbone).

    Raises:
        ValueError: A rate outside (0, 1], or a backbone whose blocks it cannot find.
    """

    def add_params(self, params: List[dict], module: nn.Module, prefix: str = '',
                   is_dcn_module=None) -> None:
        """mmengine's per-parameter groups, then (for the whole model) the layer scales."""
        super().add_params(params, module, prefix=prefix, is_dcn_module=is_dcn_module)
        if prefix:  # a recursive call on a child module
            return
        rate = self.paramwise_cfg.get('layer_decay_rate', 1.0)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 1:
            raise ValueError(f'paramwise_cfg.layer_decay_rate must be in (0, 1], got {rate!r}.')
        names = {id(param): name for name, param in module.named_parameters()}
        ids, num_layers = layer_ids(module) if rate != 1 else ({}, 1)
        for group in params:
            name = names[id(group['params'][0])]
            layer = ids.get(name, num_layers - 1)
            scale = rate ** (num_layers - 1 - layer)
            group.update(param_names=[name], layer_id=layer, lr_scale=scale,
                         lr=group.get('lr', self.base_lr) * scale)
        params[:] = merge_equal_groups(params)


def merge_equal_groups(groups: List[dict]) -> List[dict]:
    """One group per distinct setting, in the order of first appearance; ``params`` and
    ``param_names`` are concatenated. A setting is every key but those two and mmengine's
    record of the multipliers it has applied (``lr_mult``, ``decay_mult``: already in ``lr``
    and ``weight_decay``, and not kept)."""
    merged: Dict[tuple, dict] = {}
    for group in groups:
        settings = {k: v for k, v in group.items()
                    if k not in ('params', 'param_names', 'lr_mult', 'decay_mult')}
        key = tuple(sorted((k, repr(v)) for k, v in settings.items()))
        if key in merged:
            merged[key]['params'] += group['params']
            merged[key]['param_names'] += group.get('param_names', [])
        else:
            merged[key] = dict(settings, params=list(group['params']),
                               param_names=list(group.get('param_names', [])))
    return list(merged.values())


def regroup_saved_state(saved: dict, groups: List[dict]) -> bool:
    """Fit an optimizer state saved with one group per parameter to ``groups``, in place.

    Checkpoints of the fine-tuning recipe written before :func:`merge_equal_groups` hold a
    group per parameter tensor, each recording its ``param_name``; the optimizer built
    today has merged groups recording ``param_names``. Each merged group takes the saved
    groups of its parameters (their settings are equal; the first one's are kept), so
    ``optimizer.load_state_dict(saved)`` restores every moment of every parameter.

    Args:
        saved: ``optimizer.state_dict()`` as a checkpoint stores it.
        groups: The ``param_groups`` of the optimizer about to load it.

    Returns:
        Whether ``saved`` was regrouped (``False``: it is not in the old layout, or it names
        other parameters, which ``load_state_dict`` then reports).
    """
    old = saved.get('param_groups') or []
    if not old or not all('param_name' in g and len(g['params']) == 1 for g in old):
        return False
    if not all('param_names' in g for g in groups):
        return False
    by_name = {g['param_name']: g for g in old}
    names = [name for group in groups for name in group['param_names']]
    if sorted(names) != sorted(by_name):
        return False
    regrouped = []
    for group in groups:
        members = [by_name[name] for name in group['param_names']]
        settings = {k: v for k, v in members[0].items() if k not in ('params', 'param_name')}
        regrouped.append(dict(settings, param_names=list(group['param_names']),
                              params=[member['params'][0] for member in members]))
    saved['param_groups'] = regrouped
    return True
