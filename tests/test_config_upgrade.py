"""upgrade_config maps what older configs wrote to today's names; today's configs pass as they
are."""
import glob
import json
import os.path as osp

from mmengine.config import Config

from vidreg.config import load_config
from vidreg.config_upgrade import upgrade_config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
LEGACY = osp.join(REPO, 'tests', 'fixtures', 'legacy')


def _stored(name: str) -> Config:
    with open(osp.join(LEGACY, f'{name}.json'), encoding='utf-8') as f:
        return Config.fromstring(json.load(f)['cfg'], file_format='.py')


def test_dataset_clips_become_the_pipelines_sampler():
    cfg = upgrade_config(_stored('configs__demo__twostream_sg3i_clips_synthetic'))
    for split in ('train', 'val', 'test'):
        dataset = cfg[f'{split}_dataloader'].dataset
        assert 'clips' not in dataset
        steps = [step['type'] for step in dataset.pipeline]
        assert steps[:3] == ['OpenVideo', 'EveryClipSampleFrames', 'DecodeFrames']
        assert dict(dataset.pipeline[1]) == dict(type='EveryClipSampleFrames', num_frames=3,
                                                 frame_interval=2, stride=5)


def test_todays_configs_pass_unchanged():
    for path in glob.glob(osp.join(REPO, 'configs', 'demo', '*.py')):
        cfg = load_config(path)
        before = cfg.pretty_text
        assert upgrade_config(cfg).pretty_text == before, path
