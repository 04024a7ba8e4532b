"""``--from huggingface``: a ``transformers`` VideoMAE ``save_pretrained`` folder.

The folder holds ``config.json`` and ``model.safetensors`` (or ``pytorch_model.bin``), as
``VideoMAEForVideoClassification.save_pretrained`` writes it and the hub serves it. Names map to
the official release's (``videomae.encoder.layer.N.attention.attention.query/key/value`` are
concatenated into ``blocks.N.attn.qkv``), the classifier is ``classifier``, the class names are
``config.json``'s ``id2label`` and the architecture (heads, epsilons, frames, image size) is
read from ``config.json`` rather than guessed from shapes.
"""
import json
import os
import re
from typing import Dict, Optional, Tuple

import torch
from torch import Tensor

from .source import SourceModel, StateDict, TestClip, WeightSource
from .videomae import VIDEOMAE_CLIP, VIDEOMAE_NORM, infer_videomae

__all__ = ['SOURCE', 'read_huggingface_folder', 'split_huggingface_videomae',
           'videomae_config_from_hf', 'hf_class_names']

_RENAMES = (  # transformers' names -> the official release's, applied in order
    ('videomae.embeddings.patch_embeddings.projection.', 'patch_embed.proj.'),
    ('videomae.encoder.layer.', 'blocks.'),
    ('.attention.attention.q_bias', '.attn.q_bias'),  # transformers < 4.5x
    ('.attention.attention.v_bias', '.attn.v_bias'),
    ('.attention.attention.query.bias', '.attn.q_bias'),
    ('.attention.attention.value.bias', '.attn.v_bias'),
    ('.attention.output.dense.', '.attn.proj.'),
    ('.intermediate.dense.', '.mlp.fc1.'),
    ('.output.dense.', '.mlp.fc2.'),
    ('.layernorm_before.', '.norm1.'),
    ('.layernorm_after.', '.norm2.'),
)
_QKV = re.compile(r'^videomae\.encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)'
                  r'\.weight$')


def _read_config(path: str) -> dict:
    config_file = os.path.join(path, 'config.json')
    if not os.path.isdir(path) or not os.path.isfile(config_file):
        raise FileNotFoundError(f'{path}: --from huggingface takes a save_pretrained folder '
                                f'holding config.json and model.safetensors')
    with open(config_file, encoding='utf-8') as file:
        return json.load(file)


def read_huggingface_folder(path: str) -> Tuple[StateDict, dict]:
    """The tensors and ``config.json`` of a ``save_pretrained`` folder.

    Raises:
        FileNotFoundError: No ``config.json``, or neither ``model.safetensors`` nor
            ``pytorch_model.bin`` (the message names the folder).
    """
    config = _read_config(path)
    safetensors_file = os.path.join(path, 'model.safetensors')
    bin_file = os.path.join(path, 'pytorch_model.bin')
    if os.path.isfile(safetensors_file):
        from safetensors.torch import load_file
        return load_file(safetensors_file), config
    if os.path.isfile(bin_file):
        return torch.load(bin_file, map_location='cpu', weights_only=True), config
    raise FileNotFoundError(f'{path}: holds config.json but neither model.safetensors nor '
                            f'pytorch_model.bin')


def split_huggingface_videomae(state_dict: StateDict) -> Tuple[StateDict, StateDict]:
    """transformers' VideoMAE names -> (official backbone tensors, ClsHead tensors).

    Keys outside the encoder, ``fc_norm`` and ``classifier`` (a pretraining decoder) are left out.

    Raises:
        ValueError: ``videomae.layernorm`` is present (``use_mean_pooling=False``: the first
            token is classified, which vidreg's VideoMAE does not do).
    """
    if any(k.startswith('videomae.layernorm.') for k in state_dict):
        raise ValueError('this VideoMAE has use_mean_pooling=False (videomae.layernorm.*): '
                         'vidreg supports the mean-pooled classification models')
    backbone: StateDict = {}
    parts: Dict[str, Dict[str, Tensor]] = {}
    for key, value in state_dict.items():
        match = _QKV.match(key)
        if match:
            parts.setdefault(match.group(1), {})[match.group(2)] = value
            continue
        if key.startswith('fc_norm.'):
            backbone[key] = value
        elif key.startswith(('videomae.embeddings.', 'videomae.encoder.')):
            for old, new in _RENAMES:
                key = key.replace(old, new)
            backbone[key] = value
    for layer, qkv in parts.items():
        backbone[f'blocks.{layer}.attn.qkv.weight'] = torch.cat(
            [qkv['query'], qkv['key'], qkv['value']])
    head = {f'fc.{k[len("classifier."):]}': v for k, v in state_dict.items()
            if k.startswith('classifier.')}
    return backbone, head


def videomae_config_from_hf(config: dict) -> dict:
    """``config.json`` -> the :class:`~vidreg.models.backbones.VideoMAE` config.

    Raises:
        ValueError: Not a VideoMAE config, or an activation other than GELU.
    """
    if config.get('model_type') != 'videomae':
        raise ValueError(f"config.json has model_type {config.get('model_type')!r}; "
                         f"--from huggingface reads VideoMAE ('videomae') folders")
    if config.get('hidden_act', 'gelu') != 'gelu':
        raise ValueError(f"config.json: hidden_act {config['hidden_act']!r} is not supported "
                         f"(VideoMAE uses 'gelu')")
    dims = config.get('hidden_size', 768)
    return dict(type='VideoMAE', embed_dims=dims, depth=config.get('num_hidden_layers', 12),
                num_heads=config.get('num_attention_heads', 12),
                in_channels=config.get('num_channels', 3),
                num_frames=config.get('num_frames', 16), img_size=config.get('image_size', 224),
                patch_size=config.get('patch_size', 16),
                tubelet_size=config.get('tubelet_size', 2),
                mlp_ratio=config.get('intermediate_size', 4 * dims) / dims,
                norm_eps=config.get('layer_norm_eps', 1e-12), fc_norm_eps=1e-5,
                pool=config.get('use_mean_pooling', True))


def hf_class_names(config: dict, num_classes: int) -> Optional[Tuple[str, ...]]:
    """``id2label`` as K names in index order; None when absent or only ``LABEL_i``."""
    id2label = config.get('id2label') or {}
    names = tuple(id2label.get(str(i), id2label.get(i)) for i in range(num_classes))
    if None in names or all(name == f'LABEL_{i}' for i, name in enumerate(names)):
        return None
    return names


def convert(state_dict: StateDict, src: str) -> SourceModel:
    """A VideoMAE folder's tensors as VideoMAE + ClsHead tensors, its config and class names.

    ``src`` is the folder; its ``config.json`` gives the backbone config (``num_frames`` also
    the test clip) and ``id2label`` the class names. Without a readable ``config.json`` (the
    converter trying layouts) the backbone is inferred from the shapes.
    """
    backbone, head = split_huggingface_videomae(state_dict)
    config = _read_config(src) if src and os.path.isdir(src) else None
    if config is None:
        return SourceModel(backbone=backbone, head=head, classes=None,
                           data_preprocessor=VIDEOMAE_NORM, test_clip=VIDEOMAE_CLIP)
    backbone_cfg = videomae_config_from_hf(config)
    classes = hf_class_names(config, int(head['fc.bias'].shape[0])) if head else None
    clip = TestClip(num_frames=backbone_cfg['num_frames'], frame_interval=4,
                    short_side=backbone_cfg['img_size'], crop_size=backbone_cfg['img_size'])
    return SourceModel(backbone=backbone, head=head, classes=classes,
                       data_preprocessor=VIDEOMAE_NORM, test_clip=clip, backbone_cfg=backbone_cfg)


def _read_weights(path: str) -> StateDict:
    return read_huggingface_folder(path)[0]


SOURCE = WeightSource(name='huggingface', convert=convert, infer_backbone=infer_videomae,
                      read=_read_weights)
