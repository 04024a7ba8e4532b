"""The seed-003 config keeps the seed's knobs: tracked frames 0, 4, 8, target 12, res4 30x30."""
import os.path as osp

from vidreg.config import load_config

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
