"""VideoMAE from transformers' save_pretrained folders and the official release's checkpoints."""
import pytest
import torch

from tests.weights.zoo_fixtures import ZOO, load_fixture, vidreg_logits
from vidreg.weights.huggingface import (
    hf_class_names,
    read_huggingface_folder,
    split_huggingface_videomae,
    videomae_config_from_hf,
)
from vidreg.weights.videomae import infer_videomae, split_videomae


def test_huggingface_folder_gives_transformers_logits_and_class_names():
    pytest.importorskip('safetensors')
    state, config = read_huggingface_folder(str(ZOO / 'videomae_hf'))
    backbone, head = split_huggingface_videomae(state)
    io = load_fixture('videomae_io.pt')
    logits = vidreg_logits(videomae_config_from_hf(config), backbone, head, io['input'])
    assert (logits - io['hf_logits']).abs().max() <= 1e-4
    assert hf_class_names(config, 5)[3] == 'dribbling basketball'


def test_pytorch_model_bin_folder_and_old_bias_names(tmp_path):
    """The .bin variant of the folder, with transformers 4.x's q_bias / v_bias names."""
    official = torch.load(ZOO / 'videomae_official.pth', weights_only=True)['module']
    hf_old = {}
    for key, value in official.items():  # official -> transformers 4.x names (HF's converter)
        key = (key.replace('patch_embed.proj', 'videomae.embeddings.patch_embeddings.projection')
               .replace('blocks.', 'videomae.encoder.layer.').replace('head.', 'classifier.')
               .replace('attn.q_bias', 'attention.attention.q_bias')
               .replace('attn.v_bias', 'attention.attention.v_bias')
               .replace('attn.proj', 'attention.output.dense').replace('norm1', 'layernorm_before')
               .replace('norm2', 'layernorm_after').replace('mlp.fc1', 'intermediate.dense')
               .replace('mlp.fc2', 'output.dense'))
        if key.endswith('attn.qkv.weight'):
            for name, part in zip(('query', 'key', 'value'), value.chunk(3)):
                hf_old[key.replace('attn.qkv', f'attention.attention.{name}')] = part
            continue
        hf_old[key] = value
    folder = tmp_path / 'hf'
    folder.mkdir()
    torch.save(hf_old, folder / 'pytorch_model.bin')
    (folder / 'config.json').write_text((ZOO / 'videomae_hf' / 'config.json').read_text())
    state, config = read_huggingface_folder(str(folder))
    backbone, head = split_huggingface_videomae(state)
    io = load_fixture('videomae_io.pt')
    logits = vidreg_logits(videomae_config_from_hf(config), backbone, head, io['input'])
    assert (logits - io['hf_logits']).abs().max() <= 1e-4


def test_official_release_layout_gives_its_logits():
    checkpoint = torch.load(ZOO / 'videomae_official.pth', weights_only=True)
    backbone, head = split_videomae(checkpoint['module'])
    cfg = dict(type='VideoMAE', embed_dims=32, depth=2, num_heads=2, mlp_ratio=2.0,
               num_frames=4, img_size=32)  # the fixture's reduced width
    io = load_fixture('videomae_io.pt')
    logits = vidreg_logits(cfg, backbone, head, io['input'])
    assert (logits - io['official_logits']).abs().max() <= 1e-4


def test_official_shapes_give_the_released_architecture():
    with torch.device('meta'):
        from vidreg.models.backbones import VideoMAE
        state = VideoMAE(arch='small').state_dict()
    cfg = infer_videomae(state)
    assert (cfg['embed_dims'], cfg['depth'], cfg['num_heads'], cfg['mlp_ratio']) == (384, 12, 6,
                                                                                     4.0)


def test_folder_without_weights_is_named(tmp_path):
    (tmp_path / 'config.json').write_text('{}')
    with pytest.raises(FileNotFoundError, match='neither model.safetensors'):
        read_huggingface_folder(str(tmp_path))
