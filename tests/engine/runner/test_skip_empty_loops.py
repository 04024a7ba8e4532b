"""warn_skip with batch_size=1: a batch whose only sample fails is skipped and counted; a
truncated video is named once per run and counted per epoch."""
import glob
import os
import os.path as osp

import pytest
from mmengine.runner import Runner

from vidreg.config import load_config
from vidreg.testing.tiny_video import write_tiny_video, write_truncated_video
from vidreg.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


@pytest.mark.slow
def test_training_goes_on_past_an_empty_batch_and_reports_it(tmp_path):
    write_tiny_video(tmp_path / 'good.avi')
    write_truncated_video(tmp_path / 'cut.avi')  # header: 50 frames, 14 decode
    (tmp_path / 'broken.avi').write_bytes(b'RIFF\x00\x00not a video' * 10)
    (tmp_path / 'train.csv').write_text('path,label\ngood.avi,0\nbroken.avi,1\ncut.avi,1\n')
    (tmp_path / 'validation.csv').write_text('path,label\nbroken.avi,0\ngood.avi,1\n')
    register_all_modules()
    cfg = load_config(osp.join(REPO, 'configs', 'restcn_csv.py'), dict(
        data_root=str(tmp_path), num_classes=2, num_frames=4, img_size=32, batch_size=1,
        num_workers=0, max_epochs=2, tensorboard=False))
    cfg.model = dict(type='Recognizer', backbone=dict(type='TinyConv2D', channels=(4, 8)),
                     temporal=dict(type='TemporalAvgPool'),
                     head=dict(type='ClsHead', num_classes=2),
                     data_preprocessor=dict(type='VideoDataPreprocessor'))
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        loader.dataset.on_bad_sample = 'warn_skip'
    cfg.val_evaluator = dict(type='AccuracyMetric', topk=(1,))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=100)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.epoch == 2 and runner.iter == 6  # every batch counted, none trained twice
    assert runner.message_hub.get_scalar('train/skipped_samples').current() == 1
    assert runner.message_hub.get_scalar('train/truncated_samples').current() == 1
    log = open(glob.glob(osp.join(cfg.work_dir, '*', '*.log'))[0]).read()
    for epoch in (1, 2):
        assert f'train epoch {epoch}: skipped 1 samples' in log
        assert f'val epoch {epoch}: skipped 1 samples' in log
        assert f'train epoch {epoch}: 1 samples came from 1 truncated videos' in log
    assert log.count('1 batches held no usable sample and were skipped') == 4
    cut = str(tmp_path / 'cut.avi')
    assert log.count(f'{cut} is truncated: its header says 50 frames but only 14 decode') == 1
    assert os.path.isfile(osp.join(cfg.work_dir, 'summary.json'))
