"""tools/check_data.py as a command: exit code 1 when a sample is bad, and kill -9 leaves no
DataLoader worker behind (real processes)."""
import os
import sys

import pytest

from vidreg.plugins import REPO_ROOT
from vidreg.testing.processes import workers_outliving
from vidreg.testing.run_tool import run_tool
from vidreg.testing.tiny_video import write_tiny_video

CONFIG = """
pipeline = [dict(type='OpenVideo'), dict(type='UniformSampleFrames', num_frames=2),
            dict(type='DecodeFrames'), dict(type='PackVideoInputs')]
train_dataloader = dict(dataset=dict(type='CSVDataset', data_root={root!r}, num_classes=2,
                                     ann_file='train.csv', pipeline=pipeline))
"""
pytestmark = pytest.mark.slow  # each imports torch in a process of its own


def test_a_bad_sample_is_listed_and_the_exit_code_is_1(tmp_path):
    write_tiny_video(tmp_path / 'good.avi')
    (tmp_path / 'train.csv').write_text('path,label\ngood.avi,0\nmissing.avi,1\n')
    (tmp_path / 'config.py').write_text(CONFIG.format(root=str(tmp_path)))
    result = run_tool('tools/check_data.py', tmp_path / 'config.py', '--workers', '0', expect=1,
                      env={'COLUMNS': '300'})
    assert '1 problems' in result.stdout
    assert 'missing.avi' in result.stdout and 'does not exist' in result.stdout
    (tmp_path / 'train.csv').write_text('path,label\ngood.avi,0\n')
    result = run_tool('tools/check_data.py', tmp_path / 'config.py', '--workers', '0')
    assert 'All 1 samples of train, val, test are usable' in result.stdout


def test_killed_check_leaves_no_worker(tmp_path):
    """kill -9 of check_data.py: its DataLoader workers end within 1.5 s, also while a sample
    hangs. torch's workers check for their parent only between samples; here each hangs for
    good in its first frame, a FIFO that no one writes (as on a stalled network share)."""
    for i in range(4):
        os.makedirs(tmp_path / f'stuck{i}')
        os.mkfifo(tmp_path / f'stuck{i}' / 'img_00001.jpg')
    (tmp_path / 'train.csv').write_text('path,label\n' + ''.join(f'stuck{i},0\n'
                                                                 for i in range(4)))
    (tmp_path / 'config.py').write_text(CONFIG.format(root=str(tmp_path)))
    command = [sys.executable, 'tools/check_data.py', str(tmp_path / 'config.py'), '--split',
               'train', '--workers', '2']
    # both workers block in their first sample, then kill -9
    assert workers_outliving(command, num_workers=2, settle=1, timeout=1.5, cwd=REPO_ROOT) == []
