"""A work dir holding a run is refused without --resume; --overwrite clears exactly that run."""
import os.path as osp

import pytest
from mmengine.config import Config

from vidreg.config import RESOLVED_CONFIG_HEADER
from vidreg.engine.previous_run import check_previous_run, previous_run_files
from vidreg.engine.work_dir_claim import checkpoint_dir, claim_work_dir
from vidreg.engine.work_dir_lock import LOCK_NAME, WorkDirError

# What a 3-epoch run leaves (names as the Runner and the hooks write them).
RUN = ['epoch_2.pth', 'epoch_3.pth', 'best_acc_top1_epoch_1.pth', 'last_checkpoint',
       'summary.json', 'curves.png', '20260101_120000/20260101_120000.log',
       '.epoch_3.pth.0123456789abcdef0123456789abcdef.tmp']
MINE = ['notes.txt', 'my_script.py', 'data/train.csv']


def make(root, names, config_dump=True):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('x')
    if config_dump:
        (root / 'restcn_synthetic.py').write_text(f'{RESOLVED_CONFIG_HEADER}configs/x.py\n')


def test_a_work_dir_holding_a_run_is_refused_with_the_three_choices(tmp_path):
    make(tmp_path, RUN)
    with pytest.raises(WorkDirError) as info:
        check_previous_run(str(tmp_path), str(tmp_path), resume=False, overwrite=False)
    message = str(info.value)
    for needed in ('already holds a training run', 'best_acc_top1_epoch_1.pth', '--resume',
                   'another --work-dir', '--overwrite'):
        assert needed in message, message
    assert check_previous_run(str(tmp_path), str(tmp_path), resume=True, overwrite=False) == []
    assert (tmp_path / 'epoch_3.pth').is_file()


def test_overwrite_removes_the_previous_run_and_keeps_other_files(tmp_path):
    make(tmp_path, RUN + MINE)
    (tmp_path / LOCK_NAME).write_text('{}')  # the new run's own lock
    removed = check_previous_run(str(tmp_path), str(tmp_path), resume=False, overwrite=True)
    assert sorted(osp.relpath(p, tmp_path) for p in removed) == sorted(
        [name.split('/')[0] for name in RUN] + ['restcn_synthetic.py'])
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob('*') if p.is_file())
    assert left == sorted(MINE + [LOCK_NAME])
    check_previous_run(str(tmp_path), str(tmp_path), resume=False, overwrite=False)  # now fine


def test_a_run_stopped_before_its_first_checkpoint_is_trained_over(tmp_path):
    make(tmp_path, ['20260101_120000/20260101_120000.log'])
    assert check_previous_run(str(tmp_path), str(tmp_path), resume=False, overwrite=False) == []
    assert previous_run_files(str(tmp_path), str(tmp_path))  # but --overwrite would clear it


def test_checkpoints_in_the_hooks_out_dir_count(tmp_path):
    cfg = Config(dict(work_dir=str(tmp_path / 'work'),
                      default_hooks=dict(checkpoint=dict(out_dir=str(tmp_path / 'ckpts')))))
    assert checkpoint_dir(cfg) == str(tmp_path / 'ckpts' / 'work')  # as mmengine places them
    make(tmp_path / 'ckpts' / 'work', ['epoch_1.pth'], config_dump=False)
    with pytest.raises(WorkDirError, match='epoch_1.pth'):
        claim_work_dir(cfg, resume=False, overwrite=False)
    assert not (tmp_path / 'work' / LOCK_NAME).exists()  # a refused claim holds no lock
    lock = claim_work_dir(cfg, resume=False, overwrite=True)
    try:
        assert (tmp_path / 'work' / LOCK_NAME).is_file()
        assert not (tmp_path / 'ckpts' / 'work' / 'epoch_1.pth').exists()
    finally:
        lock.release()
