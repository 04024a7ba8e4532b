import pytest
import torch
from torch import nn

from vidreg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from vidreg.utils import register_all_modules

BASE_LR, WD, RATE = 1e-3, 0.05, 0.5
NO_DECAY = dict(norm_decay_mult=0., bias_decay_mult=0., flat_decay_mult=0.,
                custom_keys={'pos_embed': dict(decay_mult=0.), 'cls_token': dict(decay_mult=0.)})


class TinyViT(nn.Module):
    """A ViT layout: patch embedding, position embedding, class token, blocks.N, final norm."""

    def __init__(self, width=4, depth=2):
        super().__init__()
        self.patch_embed = nn.Conv3d(3, width, 2, stride=2)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, width))
        self.pos_embed = nn.Parameter(torch.zeros(1, 5, width))
        self.blocks = nn.ModuleList(nn.Sequential(nn.LayerNorm(width), nn.Linear(width, width))
                                    for _ in range(depth))
        self.norm = nn.LayerNorm(width)
        self.q_bias = nn.Parameter(torch.zeros(width))  # 1-D, not named bias (VideoMAE)


class Wrapped(nn.Module):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(4, 3)


def optimizer(model, **paramwise):
    register_all_modules()
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(dict(
        type='LayerDecayOptimWrapperConstructor',
        optim_wrapper_cfg=dict(type='OptimWrapper',
                               optimizer=dict(type='AdamW', lr=BASE_LR, weight_decay=WD)),
        paramwise_cfg=dict(NO_DECAY, **paramwise)))
    return constructor(model).optimizer


def groups(model, **paramwise):
    return {name: (g['lr'], g['weight_decay'])
            for g in optimizer(model, **paramwise).param_groups for name in g['param_names']}


def test_vit_layout_gets_decayed_lr_and_no_decay_on_norms_biases_embeddings_tokens():
    got = groups(Wrapped(TinyViT()), layer_decay_rate=RATE)
    # 4 layers: embeddings 0, blocks.0 1, blocks.1 2, final norm and head 3 (base rate)
    assert got['backbone.patch_embed.weight'] == (BASE_LR * RATE ** 3, WD)
    assert got['backbone.patch_embed.bias'] == (BASE_LR * RATE ** 3, 0.)
    assert got['backbone.pos_embed'] == (BASE_LR * RATE ** 3, 0.)
    assert got['backbone.cls_token'] == (BASE_LR * RATE ** 3, 0.)
    assert got['backbone.blocks.0.0.weight'] == (BASE_LR * RATE ** 2, 0.)  # LayerNorm
    assert got['backbone.blocks.0.1.weight'] == (BASE_LR * RATE ** 2, WD)
    assert got['backbone.blocks.1.1.weight'] == (BASE_LR * RATE, WD)
    assert got['backbone.blocks.1.1.bias'] == (BASE_LR * RATE, 0.)
    assert got['backbone.norm.weight'] == (BASE_LR, 0.)
    assert got['backbone.q_bias'] == (BASE_LR * RATE ** 3, 0.)  # direct: listed before blocks
    assert got['head.weight'] == (BASE_LR, WD)


def test_resnet_layout_of_a_real_recognizer():
    register_all_modules()
    model = MODELS.build(dict(type='Recognizer', backbone=dict(
        type='VideoResNet', arch='r3d', depth=18, base_channels=4),
        temporal=dict(type='TemporalAvgPool'), head=dict(type='ClsHead', num_classes=3)))
    got = groups(model, layer_decay_rate=RATE)
    # stem 0, layer1..layer4 1..4, head 5
    assert got['backbone.stem.0.weight'] == (BASE_LR * RATE ** 5, WD)
    assert got['backbone.stem.1.weight'] == (BASE_LR * RATE ** 5, 0.)  # BatchNorm
    assert got['backbone.layer1.0.conv1.0.weight'] == (BASE_LR * RATE ** 4, WD)
    assert got['backbone.layer4.1.conv2.0.weight'] == (BASE_LR * RATE, WD)
    assert got['head.fc.weight'] == (BASE_LR, WD)
    assert got['head.fc.bias'] == (BASE_LR, 0.)


def test_unknown_backbone_names_a_parameter_and_rate_one_needs_no_rule():
    register_all_modules()
    model = MODELS.build(dict(type='Recognizer', backbone=dict(type='TinyConv2D', channels=(4, 8)),
                             temporal=dict(type='TemporalAvgPool'),
                             head=dict(type='ClsHead', num_classes=3)))
    with pytest.raises(ValueError, match=r"'backbone\.layers\.0\..*layer_decay_rate=1\.0"):
        groups(model, layer_decay_rate=RATE)
    assert all(lr == BASE_LR for lr, _ in groups(model).values())
    with pytest.raises(ValueError, match='in \\(0, 1\\]'):
        groups(model, layer_decay_rate=0)


def test_swin_layout_inside_a_wrapper_attribute():
    swin = nn.Module()
    swin.patch_embed = nn.Linear(4, 4)
    swin.features = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4), nn.Linear(4, 4))
    swin.norm = nn.LayerNorm(4)
    backbone = nn.Module()
    backbone.model = swin  # e.g. a registered wrapper around torchvision's swin3d_t
    got = groups(Wrapped(backbone), layer_decay_rate=RATE)
    assert got['backbone.model.patch_embed.weight'][0] == BASE_LR * RATE ** 4
    assert got['backbone.model.features.0.weight'][0] == BASE_LR * RATE ** 3
    assert got['backbone.model.features.2.weight'][0] == BASE_LR * RATE
    assert got['backbone.model.norm.weight'] == (BASE_LR, 0.)


def test_parameters_with_equal_settings_share_a_group_and_step_as_alone():
    """Merged groups: one per (layer, decay) setting, every parameter once, and an AdamW step
    equal to one with a group per parameter (what mmengine builds)."""
    torch.manual_seed(0)
    model = Wrapped(TinyViT())
    merged = optimizer(model, layer_decay_rate=RATE)
    settings = [(g['lr'], g['weight_decay']) for g in merged.param_groups]
    assert len(settings) == len(set(settings)) == 8  # 4 layers x (decay, no decay)
    named = dict(model.named_parameters())
    listed = [name for g in merged.param_groups for name in g['param_names']]
    assert sorted(listed) == sorted(named)
    for group in merged.param_groups:
        assert [id(p) for p in group['params']] == [id(named[n]) for n in group['param_names']]
    twin = Wrapped(TinyViT())
    twin.load_state_dict(model.state_dict())
    lr_wd = groups(model, layer_decay_rate=RATE)
    alone = torch.optim.AdamW([dict(params=[p], lr=lr_wd[n][0], weight_decay=lr_wd[n][1])
                               for n, p in twin.named_parameters()])
    for net, opt in ((model, merged), (twin, alone)):
        for _ in range(2):
            opt.zero_grad()
            net.backbone.patch_embed(torch.ones(1, 3, 2, 2, 2)).sum().backward()
            net.head(torch.ones(1, 4)).pow(2).sum().backward()
            vit = net.backbone
            tokens = vit.blocks[1](vit.blocks[0](vit.pos_embed))
            (tokens.sum() + vit.norm(vit.cls_token).sum() + vit.q_bias.sum()).backward()
            opt.step()
    for (name, a), b in zip(model.named_parameters(), twin.parameters()):
        assert torch.equal(a, b), name
