"""tools/extract_frames.py and vidreg.datasets.frame_extraction on real videos."""
import os
import shutil
import subprocess
import sys

import av
import cv2
import numpy as np
import pytest

from vidreg.datasets.decoders import FrameFolderReader, PyAVReader
from vidreg.datasets.frame_extraction import ExtractJob, extract_video, plan_jobs
from vidreg.testing.shared_data import shared_data_dir

DATA = shared_data_dir()
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import extract_frames  # noqa: E402


@pytest.fixture
def videos(tmp_path):
    """carphone (H.264 176x144, 120 frames) and test.avi (MPEG-4, 164 frames), in a tree."""
    root = tmp_path / 'videos'
    (root / 'sub').mkdir(parents=True)
    shutil.copy(f'{DATA}/carphone_pristine.mp4', root / 'carphone.mp4')
    shutil.copy(f'{DATA}/mmaction2/test.avi', root / 'sub' / 'test.avi')
    return root


def decoder_count(path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def jpgs(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.endswith('.jpg'))


def test_every_frame_matches_the_decoder_count_and_order(videos, tmp_path):
    video = videos / 'carphone.mp4'
    result = extract_video(ExtractJob(str(video), str(tmp_path / 'out')), quality=90)
    assert result.status == 'done' and result.num_frames == decoder_count(video) == 120
    names = jpgs(tmp_path / 'out')
    assert names[0] == 'img_00001.jpg' and names[-1] == 'img_00120.jpg' and len(names) == 120
    with FrameFolderReader(tmp_path / 'out') as frames, PyAVReader(video) as reader:
        extracted = frames.read([0, 57, 119]).astype(np.int16)
        expected = reader.read([0, 57, 119])
    assert np.abs(extracted - expected).mean(axis=(1, 2, 3)).max() < 4  # JPEG loss only


def test_fps_mode_keeps_one_frame_per_interval(videos, tmp_path):
    result = extract_video(ExtractJob(str(videos / 'carphone.mp4'), str(tmp_path / 'out')),
                           fps=10.0)
    rate = 30000 / 1001  # 120 frames at 29.97 fps: 4.0 s
    expected = int(np.floor(119 * 10.0 / rate + 1e-9)) + 1
    assert result.num_frames == expected == 40 and len(jpgs(tmp_path / 'out')) == 40


def test_uniform_frames_and_short_side(videos, tmp_path):
    video = videos / 'carphone.mp4'
    result = extract_video(ExtractJob(str(video), str(tmp_path / 'out')), num_frames=8,
                           short_side=72)
    assert result.status == 'done' and len(jpgs(tmp_path / 'out')) == 8
    first = cv2.imread(str(tmp_path / 'out' / 'img_00001.jpg'))
    assert first.shape == (72, 88, 3)  # 176x144 -> short side 72
    with PyAVReader(video) as reader:  # segment centres of 120 frames: 7, 22, ..., 112
        expected = reader.read(np.floor((np.arange(8) + 0.5) * 15).astype(int))
    last = cv2.cvtColor(cv2.imread(str(tmp_path / 'out' / 'img_00008.jpg')), cv2.COLOR_BGR2RGB)
    small = cv2.resize(expected[-1], (88, 72), interpolation=cv2.INTER_AREA)
    assert np.abs(last.astype(np.int16) - small).mean() < 4


def test_resume_skips_finished_and_redoes_killed(videos, tmp_path, capsys):
    out = tmp_path / 'frames'
    # A finished folder (renamed into place) and the temp folder of a killed run.
    (out / 'sub' / 'test').mkdir(parents=True)
    (out / 'sub' / 'test' / 'img_00001.jpg').write_bytes(b'kept')
    stale = out / '.carphone.tmp-deadbeef'
    stale.mkdir()
    (stale / 'img_00001.jpg').write_bytes(b'half')
    assert extract_frames.main([str(videos), str(out), '--num-frames', '4']) == 0
    assert (out / 'sub' / 'test' / 'img_00001.jpg').read_bytes() == b'kept'  # skipped
    assert not stale.exists() and len(jpgs(out / 'carphone')) == 4  # redone
    assert sorted(os.listdir(out)) == ['carphone', 'sub']  # no temp folder left
    assert '1 extracted (4 frames), 1 already done, 0 failed' in capsys.readouterr().out


def test_corrupt_video_is_listed_and_exit_code_1(videos, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv('COLUMNS', '400')  # keep rich from folding the path
    (videos / 'broken.mp4').write_bytes(b'not a video' * 50)
    out = tmp_path / 'frames'
    assert extract_frames.main([str(videos), str(out), '--num-frames', '2']) == 1
    text = capsys.readouterr().out
    assert 'Failed videos' in text and 'broken.mp4' in text and '1 failed' in text
    assert sorted(os.listdir(out)) == ['carphone', 'sub']  # nothing left for the broken one


def test_csv_input_and_colliding_outputs(videos, tmp_path):
    csv = videos / 'list.csv'
    csv.write_text('path,label\ncarphone.mp4,0\nsub/test.avi,1\n')
    assert extract_frames.main([str(csv), str(tmp_path / 'f'), '--num-frames', '2']) == 0
    assert len(jpgs(tmp_path / 'f' / 'sub' / 'test')) == 2
    with pytest.raises(ValueError, match='both extract'):
        plan_jobs([str(videos / 'a.mp4'), str(videos / 'a.avi')], str(videos), str(tmp_path))


@pytest.mark.slow
def test_cli_with_worker_processes(videos, tmp_path):
    (videos / 'broken.avi').write_bytes(b'\x00' * 256)
    out = tmp_path / 'frames'
    cmd = [sys.executable, os.path.join(REPO, 'tools', 'extract_frames.py'), str(videos),
           str(out), '--workers', '2', '--fps', '5', '--short-side', '64', '--quality', '80']
    env = dict(os.environ, COLUMNS='400')
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 1, run.stderr
    assert 'broken.avi' in run.stdout
    assert len(jpgs(out / 'carphone')) == 20 and len(jpgs(out / 'sub' / 'test')) == 33
    assert '2 extracted (53 frames), 0 already done, 1 failed' in run.stdout
