"""init_model + inference: a checkpoint alone predicts, frames and windows as the test set would."""
import numpy as np
import pytest
import torch

from vidreg.apis import inference, inference_windows, init_model, to_prediction, window_starts
from vidreg.pipeline.decoders import PyAVReader
from vidreg.testing.tiny_checkpoint import TINY_CLASSES, write_tiny_checkpoint
from vidreg.testing.tiny_video import write_truncated_video
from vidreg.utils import CheckpointError


@pytest.fixture(scope='module')
def model(tiny_checkpoint):
    return init_model(tiny_checkpoint)


def test_init_model_needs_nothing_but_the_checkpoint(model):
    assert not model.training
    assert model.dataset_meta['classes'] == TINY_CLASSES
    assert model.cfg.test_dataloader.dataset.pipeline[1]['num_frames'] == 4  # the knob applied


def test_checkpoint_without_config_says_to_pass_one(tmp_path):
    path = write_tiny_checkpoint(tmp_path / 'old.pth', with_config=False)
    with pytest.raises(CheckpointError, match='--config'):
        init_model(path)


def test_inference_returns_scores_with_class_names(model, tiny_video):
    sample = inference(model, tiny_video)
    assert sample.pred_score.shape == (len(TINY_CLASSES),)
    assert float(sample.pred_score.sum()) == pytest.approx(1.0, abs=1e-5)
    assert sample.classes == TINY_CLASSES and sample.path == tiny_video
    prediction = to_prediction(sample)
    assert prediction.topk(1)[0][0] == TINY_CLASSES[int(sample.pred_label)]


def test_frames_in_memory_predict_like_the_file(model, tiny_video):
    with PyAVReader(tiny_video) as reader:
        frames = reader.read(np.arange(reader.total_frames))
    from_file, from_frames = inference(model, tiny_video), inference(model, frames)
    assert torch.allclose(from_file.pred_score, from_frames.pred_score, atol=1e-6)


def test_window_starts_cover_the_whole_video():
    assert window_starts(30, 10, 10) == [0, 10, 20]
    assert window_starts(35, 10, 10) == [0, 10, 20, 25]  # the tail gets a window
    assert window_starts(5, 10, 3) == [0]
    assert window_starts(60, 10, 12.5) == [0, 12, 25, 38, 50]  # 0.5 s at 25 fps: no drift


@pytest.mark.slow  # about 3 s: six pipelines over a 30-frame video
def test_each_window_predicts_like_that_cut_of_the_video(model, tiny_video):
    with PyAVReader(tiny_video) as reader:
        frames = reader.read(np.arange(reader.total_frames))
    windows = list(inference_windows(model, tiny_video, window=1.0, stride=0.5, batch_size=2))
    assert [(start, end) for start, end, _ in windows] == [
        (0.0, 1.0), (0.5, 1.5), (1.0, 2.0), (1.5, 2.5), (2.0, 3.0)]
    for start, _, sample in windows:
        first = round(start * 10)
        expected = inference(model, frames[first:first + 10]).pred_score
        assert torch.allclose(sample.pred_score, expected, atol=1e-6), start


def test_a_truncated_video_is_flagged_and_its_windows_stop_at_the_real_end(model, tmp_path):
    video = write_truncated_video(tmp_path / 'cut.avi')  # 10 fps; the header says 50 frames
    assert to_prediction(inference(model, video)).truncated == (50, 14)
    windows = list(inference_windows(model, video, window=1.0, stride=1.0))
    assert [(start, end) for start, end, _ in windows] == [(0.0, 1.0), (1.0, 1.4)]
    assert [sample.truncated_frames for _, _, sample in windows] == [(50, 14)] * 2
