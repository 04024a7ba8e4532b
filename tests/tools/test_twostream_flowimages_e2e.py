"""tools/extract_flow.py -> joint RGB + precomputed-flow training -> tools/test.py, on CPU
(configs/demo/twostream_flowimages_synthetic.py: two readers per sample)."""
import glob
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

from vidreg.config import load_config
from vidreg.datasets import DatasetError
from vidreg.pipeline.decoders import VideoReadError
from vidreg.preparation import extract_flow
from vidreg.registry import DATASETS
from vidreg.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'twostream_flowimages_synthetic.py')
pytestmark = pytest.mark.slow


def _run(*args):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1'}, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_extract_then_train_jointly_and_test(tmp_path):
    register_all_modules()
    data_root, flow_root = str(tmp_path / 'synthetic'), str(tmp_path / 'flow')
    options = [f'data_root={data_root}', f'flow_root={flow_root}', 'videos_per_class=(4,2,2)',
               'img_size=32', 'batch_size=6', 'num_workers=0']
    cfg = load_config(CONFIG, dict(data_root=data_root, flow_root=flow_root,
                                   videos_per_class=(4, 2, 2), img_size=32))
    DATASETS.build(dict(cfg.train_dataloader.dataset, pipeline=[]))  # generates the videos
    assert extract_flow(data_root, flow_root, image_format='png') == 0

    work_dir = str(tmp_path / 'work')
    out = _run('tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options', *options,
               'max_epochs=1', 'tensorboard=False')
    assert 'loss_flow' in out and 'loss_rgb' in out  # both streams trained jointly
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    out = _run('tools/test.py', CONFIG, checkpoint, '--work-dir', str(tmp_path / 'test'),
               '--cfg-options', *options)
    assert 'top1' in out

    # A video whose flow folder is missing names it and the command that makes it: when it
    # goes missing after the dataset was built, as its sample loads ...
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    missing = sorted(glob.glob(osp.join(flow_root, 'videos', 'test', '*', '*')))[0]
    shutil.rmtree(missing)
    index = next(i for i in range(len(dataset)) if osp.splitext(
        dataset.get_data_info(i)['filename'])[0].endswith(osp.relpath(missing, flow_root)))
    with pytest.raises(VideoReadError, match='tools/extract_flow.py') as error:
        dataset[index]
    assert missing in str(error.value)
    # ... and before training, with the other bad rows, when the dataset is built.
    with pytest.raises(DatasetError, match='tools/extract_flow.py') as error:
        DATASETS.build(cfg.test_dataloader.dataset)
    assert missing in str(error.value) and '1 of ' in str(error.value)
