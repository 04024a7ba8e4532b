"""inference_batches: videos through a DataLoader with workers, several per forward pass, predict
as one at a time; a bad file is reported in its place; bf16 autocast stays close to fp32."""
import pytest
import torch

from vidreg.apis import inference, inference_batches, init_model
from vidreg.testing.tiny_video import write_tiny_video


@pytest.fixture(scope='module')
def model(tiny_checkpoint):
    return init_model(tiny_checkpoint)


@pytest.fixture(scope='module')
def videos(tmp_path_factory, tiny_video):
    folder = tmp_path_factory.mktemp('batch')
    broken = folder / 'broken.avi'
    broken.write_bytes(b'not a video')
    others = [write_tiny_video(folder / f'v{i}.avi', num_frames=12 + 7 * i, size=36, seed=i)
              for i in range(3)]
    return [str(tiny_video), str(others[0]), str(broken), *map(str, others[1:])]


def test_batches_with_workers_predict_as_one_at_a_time(model, videos):
    results = list(inference_batches(model, videos, batch_size=2, workers=2))
    assert [index for index, _ in results] == list(range(len(videos)))  # input order
    index, error = results[2]
    assert isinstance(error, str) and error  # the broken file, named by its place
    for (index, sample), video in zip(results, videos):
        if index == 2:
            continue
        alone = inference(model, video)
        assert sample.path == alone.path
        torch.testing.assert_close(sample.pred_score, alone.pred_score, rtol=1e-5, atol=1e-6)


def test_bf16_autocast_predicts_close_to_fp32(model, videos):
    full = inference(model, videos[0])
    (index, half), = inference_batches(model, videos[:1], amp='bf16')
    assert not torch.equal(half.pred_score, full.pred_score)  # it did run in bf16
    torch.testing.assert_close(half.pred_score.float(), full.pred_score, rtol=0, atol=2e-2)
    assert half.pred_label == full.pred_label


def test_bad_arguments_are_refused(model, videos):
    with pytest.raises(ValueError, match='batch_size must be >= 1'):
        next(inference_batches(model, videos, batch_size=0))
    with pytest.raises(ValueError, match="amp must be one of bf16, fp16 or None, got 'fp8'"):
        inference(model, videos[0], amp='fp8')
