"""extract_features: the stored vector is the embedding the model's head reads for that clip."""
import copy

import numpy as np
import pytest
import torch

from vidreg.apis import (
    TestTimePipeline,
    extract_feature_file,
    extract_features,
    inference,
    inference_windows,
    init_model,
    save_features,
)
from vidreg.apis.extract_features import resolve_stage
from vidreg.config import ConfigError
from vidreg.datasets.video_collate import video_collate
from vidreg.registry import MODELS
from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture(scope='module')
def model(tiny_checkpoint):
    return init_model(tiny_checkpoint)


def scores_of(model, features):
    """What the head predicts from stored embeddings (N, E): class scores (N, K)."""
    with torch.no_grad():
        return model.head.activate(model.head(torch.from_numpy(features)))


def test_the_video_embedding_is_what_the_head_reads(model, tiny_video, tmp_path):
    bad = tmp_path / 'not_a_video.avi'
    bad.write_bytes(b'junk')
    features = extract_features(model, [tiny_video, str(bad), str(tmp_path / 'missing.avi')])
    assert features.features.shape == (1, model.head.in_channels)
    assert features.paths == [tiny_video] and features.starts is None
    assert features.stage == 'embedding'
    assert sorted(path for path, _ in features.bad) == sorted(
        [str(bad), str(tmp_path / 'missing.avi')])
    expected = inference(model, tiny_video).pred_score  # the model's own forward pass
    assert torch.allclose(scores_of(model, features.features)[0], expected, atol=1e-6)


def test_windows_store_each_window_embedding_with_its_seconds(model, tiny_video, tmp_path):
    features = extract_features(model, [tiny_video], window=1.0, stride=0.5, batch_size=2)
    windows = list(inference_windows(model, tiny_video, window=1.0, stride=0.5))
    assert features.features.shape == (len(windows), model.head.in_channels)
    assert features.starts.tolist() == [start for start, _, _ in windows]
    assert features.ends.tolist() == [end for _, end, _ in windows]
    expected = torch.stack([sample.pred_score for _, _, sample in windows])
    assert torch.allclose(scores_of(model, features.features), expected, atol=1e-6)
    out = tmp_path / 'feats.npz'
    save_features(features, str(out))
    stored = np.load(out)  # no pickle needed
    assert np.array_equal(stored['features'], features.features)
    assert stored['paths'].tolist() == [tiny_video] * len(windows)
    assert stored['start'].tolist() == features.starts.tolist()
    assert stored['bad_inputs'].shape == (0,) and str(stored['stage']) == 'embedding'
    assert [p.name for p in tmp_path.iterdir()] == ['feats.npz']  # no temporary left


def test_a_stage_is_pooled_over_time_and_space(model, tiny_video):
    with pytest.raises(ConfigError, match='staged backbone'):
        resolve_stage(model, 1)  # the tiny backbone has no stages
    staged = copy.deepcopy(model)
    staged.backbone = MODELS.build(dict(type='ResNet3D', depth=18, base_channels=4)).eval()
    with pytest.raises(ConfigError, match='0 stem, 1 layer1'):
        resolve_stage(staged, 9)
    features = extract_features(staged, [tiny_video], stage=2)
    assert features.stage == 'layer2' and features.features.shape == (1, 8)
    # the same stage's maps in a plain forward of the backbone, pooled, views averaged
    pipeline = TestTimePipeline(staged.cfg, 'classification')
    batch = video_collate([pipeline(pipeline.open(tiny_video))])
    inputs = staged.data_preprocessor(batch, False)['inputs']
    clips = inputs['imgs'].flatten(0, 1)  # (1, V, C, T, H, W) -> (V, C, T, H, W)
    captured = []
    handle = staged.backbone.layer2.register_forward_hook(lambda m, i, out: captured.append(out))
    with torch.no_grad():
        staged.backbone(clips)
    handle.remove()
    expected = captured[0].mean(dim=(2, 3, 4)).mean(dim=0)  # (V, D, T, H, W) -> (D,)
    assert np.allclose(features.features[0], expected.numpy(), atol=1e-6)


def test_the_file_function_refuses_an_input_as_output_and_reports_skips(
        tiny_checkpoint, tiny_video, tmp_path, capsys):
    from vidreg.fileio import OutputPathError
    with pytest.raises(OutputPathError):
        extract_feature_file(tiny_checkpoint, [tiny_video], tiny_checkpoint)
    short = write_tiny_video(tmp_path / 'short.avi', num_frames=6, size=32)
    out = str(tmp_path / 'f.npz')
    code = extract_feature_file(tiny_checkpoint, [short, str(tmp_path / 'gone.avi')], out)
    assert code == 1 and np.load(out)['bad_inputs'].tolist() == [str(tmp_path / 'gone.avi')]
    assert 'skipped' in capsys.readouterr().out
