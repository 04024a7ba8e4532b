"""Seed-003 configs: the seed's knobs (frames 0, 4, 8, target 12, res4 30x30), the aux experiment
(benchmarks/train_aux_alone.py), fine-tuning from the self-supervised pre-training."""
import os.path as osp

import pytest

from vidreg.config import load_config
from vidreg.testing.run_tool import run_tool

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def test_seed_setting():
    cfg = load_config(osp.join(REPO, 'configs', 'multibranch_r3d50_hmdb51.py'))
    tracking = cfg.model.aux_losses.tracking
    assert (cfg.num_frames, cfg.img_size, cfg.batch_size) == (13, 240, 4)
    assert [i * tracking.frame_gap for i in range(tracking.video_len)] == [0, 4, 8]
    assert tuple(tracking.feat_size) == (30, 30) and tracking.loss_weight == 25
    assert cfg.model.aux_losses.direction.loss_weight == 2
    assert cfg.optim_wrapper.optimizer.betas == (0.5, 0.999)
    assert cfg.param_scheduler[0].monitor == 'loss'
    assert cfg.val_dataloader.dataset.split == 'val'  # carved from the training list


@pytest.mark.slow
def test_train_aux_alone_runs(tmp_path):
    out = run_tool('benchmarks/train_aux_alone.py', 'configs/demo/multibranch_synthetic.py',
                   'direction', '--steps', '1', '--cfg-options', f'data_root={tmp_path}',
                   'videos_per_class=(2,1,1)', 'img_size=32', 'num_workers=0').stdout
    assert 'direction alone (all classes), 1 steps' in out
    assert 'held-out direction accuracy' in out and 'of 12' in out


@pytest.mark.slow
def test_finetune_demo_loads_the_pretraining_checkpoint(tmp_path):
    """The plain classifier loads the pre-training's weights; its aux_losses.* are left out."""
    options = [f'data_root={tmp_path / "data"}', 'videos_per_class=(2,1,1)', 'img_size=32',
               'num_workers=0', 'max_epochs=1', 'tensorboard=False']
    pretrain = tmp_path / 'pretrain'
    run_tool('tools/train.py', 'configs/demo/multibranch_pretrain_synthetic.py', '--work-dir',
             pretrain, '--cfg-options', *options)
    run_tool('tools/train.py', 'configs/demo/multibranch_finetune_synthetic.py', '--work-dir',
             tmp_path / 'finetune', '--cfg-options', *options,
             f'pretrain_checkpoint={pretrain / "epoch_1.pth"}')
    assert (tmp_path / 'finetune' / 'epoch_1.pth').is_file()
