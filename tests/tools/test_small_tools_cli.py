"""The smaller tools as commands, each run once for real: arguments reach their library call,
output and exit code are the tool's (their behaviour is tested on the library functions)."""
import os
import re

import cv2
import pytest

from vidreg.testing.run_tool import call_tool, run_tool
from vidreg.testing.tiny_video import write_tiny_video

pytestmark = pytest.mark.slow  # each imports torch in a process of its own


def test_benchmark_train_ends_with_the_overhead():
    # The recipe's per-parameter groups: mmengine's line per group stays off the console.
    result = run_tool('tools/benchmark_train.py', 'configs/demo/r3d18_synthetic_recipe.py',
                      '--batch-size', '2', '--num-frames', '4', '--img-size', '32', '--warmup',
                      '0', '--steps', '1', '--device', 'cpu', '--cfg-options',
                      'model.backbone.base_channels=4')
    out = result.stdout
    assert 'batch: 2 x 4 x 32 x 32' in out
    assert 'paramwise_options' not in out + result.stderr
    assert re.fullmatch(r'overhead: \d+\.\d{3}', out.strip().splitlines()[-1])


def test_benchmark_export_prints_a_table_row_per_config(tmp_path):
    video = write_tiny_video(tmp_path / 'clip.avi', num_frames=24, size=64)
    out = run_tool('tools/benchmark_export.py', 'configs/demo/restcn_synthetic.py', '--video',
                   video, '--runs', '2', '--cfg-options', 'img_size=32').stdout
    row = out.strip().splitlines()[-1]
    assert row.startswith('| configs/demo/restcn_synthetic.py | imgs (1, 1, 8, 3, 32, 32) |')


def test_build_annotations_writes_the_splits(tmp_path):
    video = write_tiny_video(tmp_path / 'tiny.avi')
    root = tmp_path / 'data'
    for cls in ('run', 'walk'):
        (root / cls).mkdir(parents=True)
        for group in range(1, 5):
            os.link(video, root / cls / f'v_{cls}_g{group:02d}_c01.avi')
    out = run_tool('tools/build_annotations.py', 'folder', root, '--out-dir', tmp_path / 'ann',
                   '--split-ratios', '0.5', '0.25', '0.25', '--prefix', 's1_',
                   env={'COLUMNS': '300'}).stdout
    assert 's1_classes.txt' in out
    assert sorted(os.listdir(tmp_path / 'ann')) == ['s1_classes.txt', 's1_test.csv',
                                                    's1_train.csv', 's1_val.csv']
    result = call_tool('tools/build_annotations.py', 'ucf101', tmp_path / 'nope', expect=2)
    assert result.stderr.startswith('error: ') and 'Traceback' not in result.stderr


def test_convert_weights_names_a_missing_source(tmp_path):
    result = call_tool('tools/convert_weights.py', tmp_path / 'missing.pth',
                       tmp_path / 'out.pth', '--from', 'kenshohara', expect=2)
    assert result.stderr.startswith('error: ') and 'missing.pth' in result.stderr
    assert not (tmp_path / 'out.pth').exists()


def test_visualize_flow_writes_the_picture(tmp_path):
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=6, size=64)
    out = tmp_path / 'flow.png'
    printed = run_tool('tools/visualize_flow.py', video, '--frame', '1', '--short-side', '64',
                       '--methods', 'farneback', '--out', out).stdout
    assert f'flow picture: {out}' in printed
    assert cv2.imread(str(out)).shape == (64, 128, 3)  # the frame and one panel
