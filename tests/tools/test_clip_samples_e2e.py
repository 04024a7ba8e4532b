"""The clip-sample demo (every clip of every video a sample, seed 004) through tools/train.py,
tools/test.py --dump and tools/infer.py: clip- and video-level accuracy, one dumped row per video,
and inference on a video gives the scores of its clips averaged, as the test did."""
import csv
import os
import os.path as osp
import re
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'twostream_sg3i_clips_synthetic.py')
pytestmark = pytest.mark.slow


def run_tool(*args):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', 'COLUMNS': '200'},
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_train_and_test_on_clip_samples(tmp_path):
    options = [f'data_root={tmp_path / "data"}', 'videos_per_class=(2,1,1)', 'img_size=32',
               'batch_size=8', 'num_workers=0', 'tensorboard=False']
    work_dir = str(tmp_path / 'work')
    out = run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
                   *options, 'max_epochs=1')
    val = re.search(r'epoch 1 val: (.*)', out).group(1)
    assert 'acc/top1' in val and 'acc/clip/top1' in val, val  # videos, and clips
    dump = str(tmp_path / 'predictions.csv')
    out = run_tool('tools/test.py', CONFIG, osp.join(work_dir, 'epoch_1.pth'), '--dump', dump,
                   '--work-dir', str(tmp_path / 'test'), '--cfg-options', *options)
    assert 'acc/clip/top1' in out
    with open(dump, newline='') as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 == len({row['path'] for row in rows})  # one row per test video
    # The per-class table counts videos (clip scores averaged), not clip samples.
    counts = re.findall(r'│ (?:grow|shrink|brighten|darken|rotate_cw|rotate_ccw) +│ +(\d+) │', out)
    assert [int(n) for n in counts] == [1] * 6, out[-2000:]
    # Inference on one video: its clips are the views, so the test's video-level scores.
    video = rows[0]['path']
    run_tool('tools/infer.py', osp.join(work_dir, 'epoch_1.pth'), video, '--out',
             str(tmp_path / 'infer'))
    with open(tmp_path / 'infer.csv', newline='') as f:
        inferred = next(csv.DictReader(f))
    classes = ('grow', 'shrink', 'brighten', 'darken', 'rotate_cw', 'rotate_ccw')
    assert [float(inferred[name]) for name in classes] == pytest.approx(
        [float(rows[0][f'score_{name}']) for name in classes], abs=2e-6)
