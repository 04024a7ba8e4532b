"""The fine-tuning recipe resumes exactly: 2 epochs equal 1 epoch + --resume 1 epoch, with
MixUp/CutMix, RandAugment, random erasing, drop-path, gradient accumulation and an EMA on."""
import os.path as osp

import pytest
import torch

from vidreg.apis import train_model
from vidreg.plugins import REPO_ROOT
from vidreg.utils import load_checkpoint_file

DEMO = osp.join(REPO_ROOT, 'configs', 'demo', 'r3d18_synthetic_recipe.py')


def per_parameter_groups(path: str, out: str) -> None:
    """The checkpoint as the recipe saved it before it merged equal parameter groups: its
    optimizer state with one group per parameter, each naming it (``param_name``)."""
    checkpoint = torch.load(path, weights_only=False)
    saved = checkpoint['optimizer']
    groups = []
    for group in saved['param_groups']:
        settings = {k: v for k, v in group.items() if k not in ('params', 'param_names')}
        groups += [dict(settings, params=[index], param_name=name)
                   for index, name in zip(group['params'], group['param_names'])]
    assert len(groups) > len(saved['param_groups'])
    saved['param_groups'] = groups
    torch.save(checkpoint, out)


@pytest.mark.slow
@pytest.mark.parametrize('layout', ['today', 'a group per parameter'])
def test_two_epochs_equal_one_epoch_and_a_resumed_one(tmp_path, layout):
    options = {  # 8 training clips of 4x32x32, batches of 4: 2 iterations per epoch, one update
        'data_root': str(tmp_path / 'data'), 'num_classes': 4, 'videos_per_class': (2, 1, 1),
        'num_frames': 4, 'img_size': 32, 'batch_size': 4, 'num_workers': 0, 'max_epochs': 2,
        'accumulative_counts': 2, 'ema_momentum': 0.5, 'tensorboard': False,
        'model.backbone.base_channels': 4}
    train_model(DEMO, work_dir=str(tmp_path / 'whole'), cfg_options=options)
    # epoch 1's checkpoint is what a run stopped after one epoch leaves
    first_path = str(tmp_path / 'whole' / 'epoch_1.pth')
    resume_from = first_path
    if layout != 'today':  # a checkpoint of the previous version resumes as exactly
        resume_from = str(tmp_path / 'old_epoch_1.pth')
        per_parameter_groups(first_path, resume_from)
    train_model(DEMO, work_dir=str(tmp_path / 'parts'), resume=resume_from, cfg_options=options)
    whole, parts = (load_checkpoint_file(str(tmp_path / run / 'epoch_2.pth'))
                    for run in ('whole', 'parts'))
    first = load_checkpoint_file(first_path)
    for key in ('state_dict', 'ema_state_dict'):  # the EMA weights, the trained weights
        assert whole[key].keys() == parts[key].keys()
        for name, value in whole[key].items():
            assert torch.equal(value, parts[key][name]), (key, name)
    moved = [name for name, value in whole['ema_state_dict'].items()
             if value.is_floating_point() and not torch.equal(value, first['ema_state_dict'][name])]
    assert moved  # the second epoch trained
    assert not torch.equal(whole['state_dict']['head.fc.weight'],
                           whole['ema_state_dict']['module.head.fc.weight'])  # an average
