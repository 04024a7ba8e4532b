"""tools/prepare_videos.py as a user runs it: worker processes, a kill mid-run and the rerun
that finishes the job, exit codes, and copies that a dataset reads in place of the videos."""
import os
import shutil
import signal
import sys

import numpy as np
import pytest

from vidreg.pipeline.decoders import PyAVReader
from vidreg.plugins import REPO_ROOT
from vidreg.preparation import read_record
from vidreg.testing.processes import workers_outliving
from vidreg.testing.run_tool import run_tool
from vidreg.testing.shared_data import shared_data_dir

pytestmark = pytest.mark.slow  # real processes that import the decoders


def test_prepare_kill_resume_and_read_back(tmp_path):
    data = shared_data_dir()
    videos = tmp_path / 'videos'
    (videos / 'sub').mkdir(parents=True)
    shutil.copy(f'{data}/mmaction2/demo.mp4', videos / 'demo.mp4')  # long-GOP H.264
    shutil.copy(f'{data}/mmaction2/test.avi', videos / 'sub' / 'test.avi')
    for i in range(8):  # enough work for the kill to land mid-run
        os.link(videos / 'demo.mp4', videos / 'sub' / f'demo{i}.mp4')
    (videos / 'broken.avi').write_bytes(b'\x00' * 256)
    out = tmp_path / 'prepared'
    command = [sys.executable, 'tools/prepare_videos.py', str(videos), str(out), '--workers',
               '2', '--short-side', '128']
    assert workers_outliving(command, num_workers=2, sig=signal.SIGKILL, settle=1.0,
                             timeout=3, cwd=REPO_ROOT) == []
    run = run_tool('tools/prepare_videos.py', videos, out, '--workers', '2', '--short-side',
                   '128', env={'COLUMNS': '400'}, expect=1)
    assert ', 1 failed, 0 truncated; copies in' in run.stdout
    assert 'broken.avi' in run.stdout.split('Failed videos', 1)[1]
    assert 'Sizes on disk' in run.stdout
    copies = sorted(name for name in os.listdir(out / 'sub') if not name.startswith('.'))
    assert copies == [f'demo{i}.mp4' for i in range(8)] + ['test.avi']
    assert not [name for name in os.listdir(out / 'sub') if '.tmp-' in name]
    for name, frames in [('demo.mp4', 280), ('sub/test.avi', 164)]:
        assert read_record(str(out / name), 'video').images == frames
        with PyAVReader(out / name) as reader:
            assert reader.total_frames == frames
            assert reader.read(np.array([frames - 1, 40])).shape[1] == 128
    again = run_tool('tools/prepare_videos.py', videos, out, '--short-side', '128', expect=1)
    assert '0 prepared (0 frames), 10 already done, 1 failed' in again.stdout


def test_usage_mistake_is_one_error_line_and_exit_2(tmp_path):
    shutil.copy(f'{shared_data_dir()}/mmaction2/test.avi', tmp_path / 'test.avi')
    run = run_tool('tools/prepare_videos.py', tmp_path / 'test.avi', tmp_path / 'out',
                   '--codec', 'libx264', expect=2)
    assert run.stderr.startswith('error: ') and 'Traceback' not in run.stderr
    assert '.avi files cannot hold libx264' in run.stderr
    odd = run_tool('tools/prepare_videos.py', tmp_path, tmp_path / 'out', '--short-side', '127',
                   expect=2)
    assert '--short-side must be even' in odd.stderr
