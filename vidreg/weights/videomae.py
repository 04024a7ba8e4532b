"""``--from videomae``: the official MCG-NJU/VideoMAE release (``modeling_finetune.py`` names).

Its checkpoints hold the weights under ``'module'`` or ``'model'`` with the names of vidreg's
:class:`~vidreg.models.backbones.VideoMAE` (``patch_embed.proj``, ``blocks.N.attn.qkv``,
``q_bias``, ``v_bias``, ``fc_norm``) and the classifier ``head``. The positions are a fixed
sinusoid table, not stored; layer scale (``gamma_1``/``gamma_2``, ``init_values > 0``) and
learnable positions are not part of the released models and are refused by name.
"""
from typing import Tuple

from .source import SourceModel, StateDict, TestClip, WeightSource

__all__ = ['SOURCE', 'VIDEOMAE_NORM', 'VIDEOMAE_CLIP', 'split_videomae', 'infer_videomae']

# ImageNet's mean / std in 0-255 units (VideoMAE's datasets and transformers' image processor).
VIDEOMAE_NORM = dict(mean=(123.675, 116.28, 103.53), std=(58.395, 57.12, 57.375))
# embed_dims -> num_heads of the released sizes (ViT-S/B/L/H); a head count is not in the shapes.
# Kinetics-400 evaluation: 16 frames every 4th, short side 224, centre crop 224 (one view).
VIDEOMAE_CLIP = TestClip(num_frames=16, frame_interval=4, short_side=224, crop_size=224)
_HEADS = {384: 6, 768: 12, 1024: 16, 1280: 16}
_UNSUPPORTED = ('gamma_1', 'gamma_2', 'pos_embed', 'cls_token')


def split_videomae(state_dict: StateDict) -> Tuple[StateDict, StateDict]:
    """Official names -> (backbone tensors, ClsHead tensors ``fc.weight``/``fc.bias``).

    Args:
        state_dict: The release's weights (already unwrapped from ``'module'``/``'model'``;
            a ``module.`` prefix of DataParallel is removed). Pretraining checkpoints
            (``encoder.*`` and a ``decoder``) give their encoder and no head.

    Raises:
        ValueError: The checkpoint uses layer scale or learnable positions (named).
    """
    state_dict = {k[len('module.'):] if k.startswith('module.') else k: v
                  for k, v in state_dict.items()}
    if any(k.startswith('encoder.') for k in state_dict):  # a pretraining checkpoint
        state_dict = {k[len('encoder.'):]: v for k, v in state_dict.items()
                      if k.startswith('encoder.')}
    found = sorted(k for k in state_dict if k.split('.')[-1] in _UNSUPPORTED)
    if found and 'patch_embed.proj.weight' in state_dict:
        raise ValueError(f'VideoMAE weights with {", ".join(found[:3])} (layer scale or '
                         f'learnable positions) are not supported by vidreg\'s VideoMAE')
    head = {f'fc.{k[len("head."):]}': v for k, v in state_dict.items() if k.startswith('head.')}
    backbone = {k: v for k, v in state_dict.items()
                if k.startswith(('patch_embed.', 'blocks.', 'fc_norm.'))}
    return backbone, head


def infer_videomae(backbone: StateDict) -> dict:
    """The :class:`~vidreg.models.backbones.VideoMAE` config that official tensors fit.

    Width, depth, patch, tubelet and MLP ratio come from the shapes; the head count from the
    width (the released sizes); ``num_frames=16, img_size=224`` and eps 1e-6 are the release's.

    Raises:
        KeyError: ``patch_embed.proj.weight`` is missing.
        ValueError: A width that no released size has (pass ``--backbone``).
    """
    proj = backbone['patch_embed.proj.weight']  # (D, C, tubelet, p, p)
    dims = int(proj.shape[0])
    if dims not in _HEADS:
        raise ValueError(f'VideoMAE width {dims} is none of the released sizes '
                         f'({", ".join(map(str, _HEADS))}): give --backbone with num_heads')
    depth = len({k.split('.')[1] for k in backbone if k.startswith('blocks.')})
    hidden = int(backbone['blocks.0.mlp.fc1.weight'].shape[0])
    return dict(type='VideoMAE', embed_dims=dims, depth=depth, num_heads=_HEADS[dims],
                in_channels=int(proj.shape[1]), tubelet_size=int(proj.shape[2]),
                patch_size=int(proj.shape[3]), mlp_ratio=hidden / dims, num_frames=16,
                img_size=224, pool='fc_norm.weight' in backbone)


def convert(state_dict: StateDict, src: str) -> SourceModel:
    """Official tensors as VideoMAE + ClsHead tensors (the release stores no class names)."""
    backbone, head = split_videomae(state_dict)
    return SourceModel(backbone=backbone, head=head, classes=None,
                       data_preprocessor=VIDEOMAE_NORM, test_clip=VIDEOMAE_CLIP)


SOURCE = WeightSource(name='videomae', convert=convert, infer_backbone=infer_videomae)
