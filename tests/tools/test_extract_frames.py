"""tools/extract_frames.py and tools/extract_flow.py as commands: worker processes, exit codes,
bad options, and a kill that leaves no worker behind (real processes)."""
import os
import shutil
import signal
import sys

import pytest

from vidreg.plugins import REPO_ROOT
from vidreg.preparation import read_record
from vidreg.testing.processes import workers_outliving
from vidreg.testing.run_tool import call_tool, run_tool
from vidreg.testing.shared_data import shared_data_dir
from vidreg.testing.tiny_video import write_tiny_video

pytestmark = pytest.mark.slow  # real processes that import the decoders


def jpgs(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.endswith('.jpg'))


def test_cli_with_worker_processes(tmp_path):
    videos = tmp_path / 'videos'
    (videos / 'sub').mkdir(parents=True)
    shutil.copy(f'{shared_data_dir()}/carphone_pristine.mp4', videos / 'carphone.mp4')
    shutil.copy(f'{shared_data_dir()}/mmaction2/test.avi', videos / 'sub' / 'test.avi')
    (videos / 'broken.avi').write_bytes(b'\x00' * 256)
    out = tmp_path / 'frames'
    run = run_tool('tools/extract_frames.py', videos, out, '--workers', '2', '--fps', '5',
                   '--short-side', '64', '--quality', '80', env={'COLUMNS': '400'}, expect=1)
    assert 'broken.avi' in run.stdout
    assert len(jpgs(out / 'carphone')) == 20 and len(jpgs(out / 'sub' / 'test')) == 33
    assert '2 extracted (53 frames), 0 already done, 1 failed' in run.stdout


@pytest.mark.parametrize('tool, options, wanted', [
    ('extract_frames.py', ['--quality', '0'], '--quality must be in 1-100'),
    ('extract_frames.py', ['--num-frames', '0'], '--num-frames must be > 0'),
    ('extract_frames.py', ['--fps', '2', '--num-frames', '3'], 'not allowed with argument'),
    ('extract_flow.py', ['--bound', '-1'], '--bound must be > 0'),
    ('extract_flow.py', ['--num-frames', '3'], 'unrecognized arguments: --num-frames'),
])
def test_options_that_make_no_sense_are_usage_errors(tmp_path, tool, options, wanted):
    result = call_tool(f'tools/{tool}', tmp_path, tmp_path / 'out', *options, expect=2)
    assert wanted in result.stderr
    assert not (tmp_path / 'out').exists()


def test_a_missing_input_is_one_error_line(tmp_path):
    result = call_tool('tools/extract_flow.py', tmp_path / 'nope', tmp_path / 'out', expect=2)
    assert result.stderr.startswith('error: ') and 'nope does not exist' in result.stderr
    assert 'Traceback' not in result.stderr


@pytest.mark.parametrize('sig', [signal.SIGKILL, signal.SIGTERM])
def test_killed_extraction_leaves_no_worker_and_resumes(tmp_path, sig):
    """kill -9 / SIGTERM of the main process: its 2 workers (~450 MB each) end within 3 s
    (they used to wait for work forever), and a rerun finishes the job."""
    videos = tmp_path / 'videos'
    videos.mkdir()
    write_tiny_video(videos / 'v00.avi', num_frames=100, size=64)
    for i in range(1, 40):  # enough work for the kill to land mid-run
        os.link(videos / 'v00.avi', videos / f'v{i:02d}.avi')
    out = tmp_path / 'frames'
    command = [sys.executable, 'tools/extract_frames.py', str(videos), str(out), '--workers',
               '2', '--format', 'png']
    assert workers_outliving(command, num_workers=2, sig=sig, timeout=3, cwd=REPO_ROOT) == []
    run_tool('tools/extract_frames.py', videos, out, '--format', 'png')
    assert sorted(os.listdir(out)) == [f'v{i:02d}' for i in range(40)]  # no temporary folder
    assert all(read_record(str(out / name), 'frames').images == 100 for name in os.listdir(out))
