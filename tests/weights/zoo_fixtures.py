"""Read the committed zoo fixtures (``tests/fixtures/zoo``) and run a converted vidreg model."""
from pathlib import Path
from typing import Dict

import torch
from torch import Tensor

from vidreg.models.heads import ClsHead
from vidreg.registry import MODELS
from vidreg.testing.seeded_weights import seeded_state_dict, state_dict_checksums
from vidreg.utils.setup_env import register_all_modules

ZOO = Path(__file__).resolve().parents[1] / 'fixtures' / 'zoo'


def load_fixture(name: str) -> dict:
    """A ``.pt`` fixture, read with ``weights_only=True``."""
    return torch.load(ZOO / name, map_location='cpu', weights_only=True)


def seeded_mmaction2_checkpoint(name: str) -> tuple:
    """MMAction2 fixture ``name`` -> (its checkpoint in MMAction2's layout, input, logits).

    The weights and the input are rebuilt from the stored seed; their checksums must match.
    """
    fixture = load_fixture(f'mmaction2_{name}.pt')
    state = seeded_state_dict(fixture['shapes'], fixture['seed'])
    assert state_dict_checksums(state) == fixture['checksums'], 'torch.Generator changed'
    clips = torch.randn(fixture['input_shape'],
                        generator=torch.Generator().manual_seed(fixture['seed']))
    assert float(clips.double().abs().sum()) == fixture['input_sum']
    return {'meta': {}, 'state_dict': state}, clips, fixture['logits']


def vidreg_logits(backbone_cfg: dict, backbone: Dict[str, Tensor], head: Dict[str, Tensor],
                  clips: Tensor, *, skip_init: bool = False) -> Tensor:
    """backbone -> mean over (T, H, W) -> ClsHead, every tensor loaded strictly; (B, K).

    ``skip_init`` builds the backbone on the meta device and assigns the tensors (no random
    initialisation of a full-width ResNet-50; only for backbones whose buffers all persist).
    """
    register_all_modules()
    with torch.device('meta' if skip_init else 'cpu'):
        model = MODELS.build(backbone_cfg).eval()
    model.load_state_dict(backbone, strict=True, assign=skip_init)
    cls_head = ClsHead(in_channels=model.out_channels,
                       num_classes=int(head['fc.bias'].shape[0])).eval()
    cls_head.load_state_dict(head, strict=True)
    with torch.no_grad():
        return cls_head(model(clips).mean(dim=(2, 3, 4)))
