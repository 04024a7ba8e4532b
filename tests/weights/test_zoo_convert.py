"""``convert_weights --from huggingface / videomae / mmaction2`` write complete checkpoints whose
model gives the source model's logits (fixtures of ``tests/fixtures/zoo``)."""
import pytest
import torch

from tests.weights.zoo_fixtures import ZOO, load_fixture, seeded_mmaction2_checkpoint
from vidreg.apis import export_checkpoint, init_model
from vidreg.testing.tiny_video import write_tiny_video
from vidreg.weights import convert_weights


def _converted_logits(dst, clips):
    """The complete checkpoint's recognizer on normalised clips (B, C, T, H, W): (B, K)."""
    model = init_model(str(dst))
    with torch.no_grad():
        return model.head(model.temporal(model.backbone(clips))), model


def test_huggingface_folder_converts_to_a_complete_checkpoint(tmp_path, capsys):
    pytest.importorskip('safetensors')
    convert_weights(str(ZOO / 'videomae_hf'), str(tmp_path / 'hf.pth'), 'huggingface')
    assert 'a complete classifier' in capsys.readouterr().out
    io = load_fixture('videomae_io.pt')
    logits, model = _converted_logits(tmp_path / 'hf.pth', io['input'])
    assert (logits - io['hf_logits']).abs().max() <= 1e-4
    assert model.dataset_meta['classes'][0] == 'abseiling'
    assert model.backbone.blocks[0].norm1.eps == 1e-12  # config.json's layer_norm_eps


def test_official_videomae_checkpoint_needs_its_width_given(tmp_path, capsys):
    """The release's sizes are inferred; a reduced width (no released head count) is given."""
    src, dst = str(ZOO / 'videomae_official.pth'), str(tmp_path / 'official.pth')
    backbone = ("dict(type='VideoMAE', embed_dims=32, depth=2, num_heads=2, mlp_ratio=2.0, "
                "num_frames=4, img_size=32)")
    convert_weights(src, dst, 'videomae', backbone)
    io = load_fixture('videomae_io.pt')
    logits, _ = _converted_logits(dst, io['input'])
    assert (logits - io['official_logits']).abs().max() <= 1e-4


@pytest.mark.parametrize('name', ['i3d', 'slowonly'])
def test_mmaction2_resnet3d_converts_to_a_complete_checkpoint(name, tmp_path, capsys):
    checkpoint, clips, expected = seeded_mmaction2_checkpoint(name)
    torch.save(checkpoint, tmp_path / f'{name}.pth')
    convert_weights(str(tmp_path / f'{name}.pth'), str(tmp_path / 'out.pth'), 'mmaction2')
    out = capsys.readouterr().out
    assert 'missing keys (0)' in out and 'unexpected keys (0)' in out
    logits, _ = _converted_logits(tmp_path / 'out.pth', clips)
    assert (logits - expected).abs().max() <= 1e-4


@pytest.mark.slow
def test_converted_videomae_exports_to_onnx_at_two_clip_lengths(tmp_path, capsys):
    """The converted transformers model, its positions covering 8 frames, exported and checked
    by onnxruntime against PyTorch on its 4-frame test clip and on that clip doubled."""
    pytest.importorskip('onnxruntime')
    pytest.importorskip('safetensors')
    backbone = ("dict(type='VideoMAE', embed_dims=32, depth=2, num_heads=2, mlp_ratio=2.0, "
                "num_frames=8, img_size=32, norm_eps=1e-12, fc_norm_eps=1e-5)")
    convert_weights(str(ZOO / 'videomae_hf'), str(tmp_path / 'hf.pth'), 'huggingface', backbone)
    video = write_tiny_video(tmp_path / 'clip.avi', num_frames=30, size=40, fps=10.0)
    report = export_checkpoint(str(tmp_path / 'hf.pth'), str(tmp_path / 'hf.onnx'),
                               video=str(video), exporter='legacy')
    assert report.dynamic_time and sorted(report.max_abs_diff) == [4, 8]
    assert max(report.max_abs_diff.values()) < 1e-4
