"""convert_weights then tools/infer.py: a torchvision classifier's weights, converted from the
local torch cache by name, predict a video as torchvision's model does (the Kinetics class names
come from the weights enum). The conversion runs in this process (its command line is tested in
tests/tools/test_small_tools_cli.py), the prediction through the tool."""
import csv

import pytest
import torch
from torchvision.models.video import Swin3D_T_Weights
from torchvision.models.video.swin_transformer import SwinTransformer3d

from vidreg.apis.init_model import checkpoint_config
from vidreg.apis.test_time_pipeline import TestTimePipeline
from vidreg.testing.run_tool import run_tool
from vidreg.testing.tiny_video import write_tiny_mp4
from vidreg.utils import load_checkpoint_file
from vidreg.weights import convert_weights

pytestmark = pytest.mark.slow


def test_infer_on_a_converted_checkpoint_gives_the_source_models_prediction(tmp_path,
                                                                            monkeypatch):
    torch.manual_seed(0)  # Swin3D-T's layout at width 8 with the 400 Kinetics outputs
    source = SwinTransformer3d(patch_size=[2, 4, 4], embed_dim=8, depths=[1, 1, 2, 1],
                               num_heads=[1, 1, 2, 2], window_size=[8, 7, 7]).eval()
    with torch.no_grad():
        source.head.bias.normal_(0, 1)  # distinct scores
    cache = tmp_path / 'hub' / 'checkpoints'
    cache.mkdir(parents=True)
    torch.save(source.state_dict(), cache / 'swin3d_t-7615ae03.pth')  # the enum's file name
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    converted = tmp_path / 'swin3d_t_k400.pth'
    convert_weights('Swin3D_T_Weights.KINETICS400_V1', str(converted), 'torchvision')
    video = write_tiny_mp4(tmp_path / 'clip.mp4', num_frames=40, size=48)
    run_tool('tools/infer.py', converted, video, '--out', tmp_path / 'pred',
             env=dict(OMP_NUM_THREADS='1'))
    with open(tmp_path / 'pred.csv') as f:
        row = next(csv.DictReader(f))

    # torchvision's model on the clip the stored test pipeline makes, normalised its own way.
    cfg = checkpoint_config(load_checkpoint_file(str(converted)), str(converted))
    clip = TestTimePipeline(cfg, 'classification').batch_of_one(video)['imgs'][0]  # (V, T, C, H, W)
    transforms = Swin3D_T_Weights.KINETICS400_V1.transforms()
    mean, std = (torch.tensor(v).view(1, 3, 1, 1, 1) for v in (transforms.mean, transforms.std))
    x = (clip.permute(0, 2, 1, 3, 4).float() / 255 - mean) / std  # (V, C, T, H, W)
    assert x.shape == (1, 3, 32, 224, 224)
    with torch.no_grad():
        probabilities = source(x).softmax(-1)[0]
    categories = Swin3D_T_Weights.KINETICS400_V1.meta['categories']
    assert row['pred'] == categories[int(probabilities.argmax())]
    top = probabilities.topk(5).indices.tolist()
    assert [float(row[categories[i]]) for i in top] == pytest.approx(
        probabilities[top].tolist(), abs=1e-4)
