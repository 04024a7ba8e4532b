"""Separately trained streams -> tools/fuse_checkpoints.py -> one checkpoint that tools/test.py,
tools/infer.py and tools/train.py (fusion layer only) take, on the tiny synthetic SG3I demo.

The key check: with average fusion, tools/test.py on the fused checkpoint dumps the scores that
tools/fuse_predictions.py computes from the two streams' own dumps with the same weights."""
import csv
import glob
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from vidreg.utils import load_checkpoint_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'twostream_sg3i_synthetic.py')
pytestmark = pytest.mark.slow
# 4 classes, 2 training videos each, 32 px, 1 epoch of each stream: the streams need not be good,
# only different, for the fusion to be checked.
OPTIONS = ['num_classes=4', 'videos_per_class=(2,1,2)', 'img_size=32', 'batch_size=4',
           'num_workers=0', 'max_epochs=1', 'tensorboard=False']


def run_tool(*args):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1'}, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return ' '.join(result.stdout.split())  # rich wraps lines


def read_dump(path):
    with open(path) as f:
        return {osp.basename(row['path']): row for row in csv.DictReader(f)}


def scores(row):
    return {k[len('score_'):]: float(v) for k, v in row.items() if k.startswith('score_')}


@pytest.fixture(scope='module')
def streams(tmp_path_factory):
    """Each stream trained alone (tools/train.py, streams_used) and its test-set dump."""
    root = tmp_path_factory.mktemp('fuse_e2e')
    options = [f'data_root={root / "data"}', *OPTIONS]
    found = {}
    for name in ('rgb', 'sg3i'):
        work_dir = str(root / name)
        run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options', *options,
                 f"streams_used=('{name}',)")
        dump = str(root / f'{name}.csv')
        run_tool('tools/test.py', CONFIG, osp.join(work_dir, 'epoch_1.pth'), '--dump', dump,
                 '--work-dir', str(root / f'test_{name}'), '--cfg-options', *options,
                 f"streams_used=('{name}',)")
        found[name] = (osp.join(work_dir, 'epoch_1.pth'), dump)
    return root, options, found


def test_fused_checkpoint_tests_as_the_fused_dumps_predicts_and_trains_its_fusion_layer(streams):
    root, options, found = streams
    fused = str(root / 'fused.pth')
    out = run_tool('tools/fuse_checkpoints.py', CONFIG, '--cfg-options', *options,
                   '--stream', f'rgb={found["rgb"][0]}', '--stream',
                   f'sg3i={found["sg3i"][0]}', '--out', fused)
    assert 'weights 1:1.5 (from the config; nothing to train)' in out, out
    assert 'streams.sg3i │ 1 │' in out, out  # taken from, epoch

    # tools/test.py on the fused checkpoint == tools/fuse_predictions.py on the streams' dumps
    dump = str(root / 'fused_test.csv')
    run_tool('tools/test.py', CONFIG, fused, '--dump', dump, '--work-dir', str(root / 'test'),
             '--cfg-options', *options)
    fused_dumps = str(root / 'fused_dumps.csv')
    run_tool('tools/fuse_predictions.py', found['rgb'][1], found['sg3i'][1], '--weights', '1',
             '1.5', '--out', fused_dumps)
    tested, expected = read_dump(dump), read_dump(fused_dumps)
    assert len(tested) == 4 * 2 and tested.keys() == expected.keys()
    for name, row in expected.items():
        assert scores(tested[name]) == pytest.approx(scores(row), abs=1e-5), name
    rgb = read_dump(found['rgb'][1])
    assert any(scores(rgb[name]) != pytest.approx(scores(row), abs=1e-3)
               for name, row in expected.items())  # the fusion is not one stream's scores

    # tools/infer.py takes it alone (config and classes inside) and predicts what test dumped
    video = sorted(glob.glob(str(root / 'data' / 'videos' / 'test' / '*' / '*.*')))[0]
    run_tool('tools/infer.py', fused, video, '--out', str(root / 'infer'))
    with open(str(root / 'infer') + '.csv') as f:
        (predicted,) = list(csv.DictReader(f))
    want = scores(tested[osp.basename(video)])
    assert {k: float(predicted[k]) for k in want} == pytest.approx(want, abs=1e-4)

    # Learned fusion on top: only the fusion layer trains, the streams stay as fused.
    work_dir = str(root / 'learned')
    run_tool('tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options', *options,
             f'load_from={fused}', 'freeze_streams=True', 'fusion_mode=learned')
    before = load_checkpoint_file(fused)['state_dict']
    after = load_checkpoint_file(osp.join(work_dir, 'epoch_1.pth'))['state_dict']
    assert after.keys() == before.keys()
    changed = sorted(k for k in before if not torch.equal(before[k], after[k]))
    assert changed == ['head.fc.bias', 'head.fc.weight'], changed


def test_each_stream_once_on_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, 'tools/fuse_checkpoints.py', CONFIG, '--stream', 'rgb=a.pth', '--stream',
         'rgb=b.pth', '--out', str(tmp_path / 'fused.pth')], cwd=REPO, capture_output=True,
        text=True, timeout=300)
    assert result.returncode == 2
    assert '--stream: give each stream once, got rgb, rgb' in result.stderr
    assert not (tmp_path / 'fused.pth').exists()
