"""upgrade_config maps what older configs wrote to today's names; today's configs pass as they
are."""
import glob
import json
import os.path as osp

from mmengine.config import Config

from vidreg.config import load_config
from vidreg.config_upgrade import upgrade_config, upgrade_state_dict

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


def test_ssl_losses_become_branches_and_their_keys_follow():
    layout = 'configs__demo__multibranch_synthetic'
    cfg = upgrade_config(_stored(layout))
    assert 'aux_losses' not in cfg.model
    assert {name: branch['type'] for name, branch in cfg.model.branches.items()} == dict(
        direction='ArrowOfTimeBranch', tracking='CycleConsistencyBranch')
    old = {'aux_losses.direction.fc_bin.weight': 1, 'backbone.stem.0.weight': 2,
           'module.aux_losses.tracking.proj.weight': 3}
    assert upgrade_state_dict(old, _stored(layout)) == {
        'branches.direction.fc_bin.weight': 1, 'backbone.stem.0.weight': 2,
        'module.branches.tracking.proj.weight': 3}


def test_listed_fusion_weights_name_the_streams_they_meant():
    cfg = upgrade_config(_stored('configs__demo__twostream_sg3i_synthetic'))
    assert cfg.model.head.weights == {'rgb': 1.0, 'sg3i': 1.5}
    # old names: the list meant (spatial, temporal) whatever order the streams were written in
    old = Config(dict(model=dict(
        type='LateFusionRecognizer', head=dict(type='LateFusionHead', weights=[1.0, 1.5]),
        streams=dict(temporal=dict(input_key='flow'), spatial=dict(input_key='imgs')))))
    assert upgrade_config(old).model.head.weights == {'rgb': 1.0, 'flow': 1.5}
