"""Runtime bad-sample policy: decode failures are skipped loudly (warn_skip) or raised (error)."""
import pytest
from mmengine.logging import MessageHub
from torch.utils.data import DataLoader

from vidreg.datasets import CSVDataset, SkippedSample, video_collate
from vidreg.datasets.video_collate import is_empty_batch
from vidreg.engine.hooks.skipped_samples_hook import SkippedSamplesHook
from vidreg.pipeline.decoders import VideoReadError
from vidreg.testing.tiny_video import write_tiny_video
from vidreg.utils import register_all_modules

PIPELINE = [dict(type='OpenVideo'), dict(type='UniformSampleFrames', num_frames=4),
            dict(type='DecodeFrames'), dict(type='Resize', scale=(16, 16)),
            dict(type='PackVideoInputs')]


@pytest.fixture
def root(tmp_path):
    write_tiny_video(tmp_path / 'good.avi')
    (tmp_path / 'corrupt.avi').write_bytes(b'RIFF\x00\x00not a video' * 10)  # exists: rows pass
    (tmp_path / 'ann.csv').write_text('path,label\ngood.avi,0\ncorrupt.avi,1\ngood.avi,1\n')
    return tmp_path


def build(root, policy):
    register_all_modules()
    return CSVDataset(ann_file='ann.csv', data_root=str(root), num_classes=2,
                            pipeline=PIPELINE, on_bad_sample=policy)


def test_error_policy_raises_naming_the_file(root):
    with pytest.raises(VideoReadError, match='corrupt.avi'):
        build(root, 'error')[1]


def test_warn_skip_drops_the_sample_from_its_batch_and_never_replaces_it(root):
    dataset = build(root, 'warn_skip')
    with pytest.warns(UserWarning, match=r'skipping sample 1 .*corrupt.avi'):
        marker = dataset[1]
    assert isinstance(marker, SkippedSample) and marker.path.endswith('corrupt.avi')
    loader = DataLoader(dataset, batch_size=3, collate_fn=video_collate)
    with pytest.warns(UserWarning, match='corrupt.avi'):
        batch = next(iter(loader))
    assert batch['inputs']['imgs'].shape == (2, 1, 4, 3, 16, 16)  # two good samples, no stand-in
    assert [s.metainfo['sample_idx'] for s in batch['data_samples']] == [0, 2]
    assert [p for p, _ in batch['skipped']] == [marker.path]
    empty = video_collate([marker])  # batch_size=1: an empty batch, which the loops skip
    assert is_empty_batch(empty) and not is_empty_batch(batch)
    assert empty['inputs'] is None and empty['skipped'] == [(marker.path, marker.reason)]


def test_hook_reports_the_count_at_the_end_of_each_epoch():
    warnings_logged = []
    logger = type('Logger', (), dict(warning=staticmethod(warnings_logged.append)))
    runner = type('Runner', (), dict(epoch=0, logger=logger,
                                     message_hub=MessageHub.get_instance('skip_hook_test')))()
    hook = SkippedSamplesHook()
    hook.after_train_iter(runner, 0, data_batch=dict(skipped=[('/d/a.avi', 'broken')]))
    hook.after_train_iter(runner, 1, data_batch=dict(skipped=[('/d/a.avi', 'broken'),
                                                              ('/d/b.avi', 'empty')]))
    hook.after_train_iter(runner, 2, data_batch=dict(inputs=None))
    hook.after_train_epoch(runner)
    hook.after_train_epoch(runner)  # the next epoch skipped nothing: no report
    assert len(warnings_logged) == 1
    message = warnings_logged[0]
    assert 'train epoch 1: skipped 3 samples' in message and '2 files' in message
    assert '/d/b.avi: empty' in message
    assert runner.message_hub.get_scalar('train/skipped_samples').current() == 0
