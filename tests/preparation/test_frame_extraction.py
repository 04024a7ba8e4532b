"""vidreg.preparation: frames (and flow) of real videos, one and many, resumably."""
import os
import shutil
from dataclasses import replace

import av
import cv2
import numpy as np
import pytest

from vidreg.datasets import DatasetError
from vidreg.pipeline.decoders import FlowFolderReader, FrameFolderReader, PyAVReader
from vidreg.preparation import (
    ExtractJob,
    extract_flow,
    extract_frames,
    extract_video,
    plan_extraction,
    plan_jobs,
    read_record,
    write_record,
)
from vidreg.testing.shared_data import shared_data_dir
from vidreg.testing.tiny_video import write_tiny_video, write_truncated_video

DATA = shared_data_dir()


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
    assert extract_frames(str(videos), str(out), num_frames=4) == 0
    assert (out / 'sub' / 'test' / 'img_00001.jpg').read_bytes() == b'kept'  # skipped
    assert not stale.exists() and len(jpgs(out / 'carphone')) == 4  # redone
    assert sorted(os.listdir(out)) == ['carphone', 'sub']  # no temp folder left
    assert '1 extracted (4 frames), 1 already done, 0 failed' in capsys.readouterr().out


def test_corrupt_video_is_listed_and_exit_code_1(videos, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv('COLUMNS', '400')  # keep rich from folding the path
    (videos / 'broken.mp4').write_bytes(b'not a video' * 50)
    out = tmp_path / 'frames'
    assert extract_frames(str(videos), str(out), num_frames=2) == 1
    text = capsys.readouterr().out
    assert 'Failed videos' in text and 'broken.mp4' in text and '1 failed' in text
    assert sorted(os.listdir(out)) == ['carphone', 'sub']  # nothing left for the broken one


def test_csv_input_and_colliding_outputs(videos, tmp_path):
    csv = videos / 'list.csv'
    csv.write_text('path,label\ncarphone.mp4,0\nsub/test.avi,1\n')
    assert extract_frames(str(csv), str(tmp_path / 'f'), num_frames=2) == 0
    assert len(jpgs(tmp_path / 'f' / 'sub' / 'test')) == 2
    with pytest.raises(ValueError, match='both extract'):
        plan_jobs([str(videos / 'a.mp4'), str(videos / 'a.avi')], str(videos), str(tmp_path))


@pytest.fixture
def cut_videos(tmp_path, monkeypatch):
    """A good tiny AVI and two truncated ones (cut files: their headers promise 50 frames; 14 of
    the AVI's and 10 of the MP4's decode)."""
    monkeypatch.setenv('COLUMNS', '400')  # keep rich from folding the tables
    root = tmp_path / 'videos'
    (root / 'sub').mkdir(parents=True)
    write_tiny_video(root / 'good.avi', num_frames=10)
    write_truncated_video(root / 'cut.avi')
    write_truncated_video(root / 'sub' / 'cut.mp4')
    return root


def truncated_rows(text: str) -> dict:
    """``{video name: [header, decoded, written, this run]}`` from the truncated table."""
    table = text.split('Truncated videos', 1)[1] if 'Truncated videos' in text else ''
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip('│ ').split('│')]
        if len(cells) == 5 and cells[0].endswith(('.avi', '.mp4')):
            rows[os.path.basename(cells[0])] = cells[1:]
    return rows


def test_truncated_videos_are_listed_recorded_and_listed_again_on_rerun(cut_videos, tmp_path,
                                                                         capsys):
    out = tmp_path / 'frames'
    assert extract_frames(str(cut_videos), str(out)) == 1
    text = capsys.readouterr().out
    assert '3 extracted (34 frames), 0 already done, 0 failed, 2 truncated' in text
    assert truncated_rows(text) == {'cut.avi': ['50', '14', '14', 'extracted'],
                                    'cut.mp4': ['50', '10', '10', 'extracted']}
    assert len(jpgs(out / 'cut')) == 14 and len(jpgs(out / 'sub' / 'cut')) == 10
    record = read_record(str(out / 'cut'), 'frames')
    assert (record.video, record.images, record.header_frames, record.decoded_frames,
            record.truncated, record.complete) == (str(cut_videos / 'cut.avi'), 14, 50, 14,
                                                   True, True)
    assert not read_record(str(out / 'good'), 'frames').truncated
    # A rerun skips the folders but names the truncated videos again, from their records.
    assert extract_frames(str(cut_videos), str(out)) == 1
    text = capsys.readouterr().out
    assert '0 extracted (0 frames), 3 already done, 0 failed, 2 truncated' in text
    assert truncated_rows(text) == {'cut.avi': ['50', '14', '14', 'already done'],
                                    'cut.mp4': ['50', '10', '10', 'already done']}
    assert extract_frames(str(cut_videos), str(out), allow_truncated=True) == 0
    assert len(truncated_rows(capsys.readouterr().out)) == 2  # accepted, still listed


def test_uniform_frames_of_a_truncated_video_come_from_the_part_that_decodes(cut_videos,
                                                                             tmp_path, capsys):
    out = tmp_path / 'frames'
    assert extract_frames(str(cut_videos / 'cut.avi'), str(out), num_frames=4) == 1
    assert truncated_rows(capsys.readouterr().out) == {'cut.avi': ['50', '14', '4', 'extracted']}
    with FrameFolderReader(out / 'cut') as frames, PyAVReader(cut_videos / 'cut.avi') as reader:
        written = frames.read(np.arange(4)).astype(np.int16)  # (4, H, W, 3)
        real = reader.read(np.arange(14)).astype(np.int16)  # (14, H, W, 3)
    distance = np.abs(written[:, None] - real[None]).mean(axis=(2, 3, 4))  # (4, 14)
    assert distance.argmin(axis=1).tolist() == [1, 5, 8, 12]  # centres of 4 segments of 14


def test_frames_and_flow_share_a_folder(cut_videos, tmp_path, capsys):
    """MMAction2's rawframes layout: img_, x_ and y_ in one folder per video. The second tool
    extracts into the first one's folders (before, it counted them as done)."""
    out = tmp_path / 'rawframes'
    good = str(cut_videos / 'good.avi')
    assert extract_frames(good, str(out)) == 0
    assert extract_flow(good, str(out), preset='ultrafast') == 0
    assert '1 extracted (9 flow pairs), 0 already done' in capsys.readouterr().out
    with FrameFolderReader(out / 'good') as frames, FlowFolderReader(out / 'good') as flow:
        assert (frames.total_frames, flow.total_frames) == (10, 9)
    assert read_record(str(out / 'good'), 'flow').images == 9
    assert extract_frames(good, str(out)) == 0  # both done
    assert extract_flow(good, str(out), preset='ultrafast') == 0
    assert capsys.readouterr().out.count('0 extracted') == 2


def test_an_interrupted_or_damaged_folder_is_redone_and_other_options_are_refused(
        cut_videos, tmp_path, capsys):
    out = tmp_path / 'rawframes'
    good = str(cut_videos / 'good.avi')
    assert extract_frames(good, str(out)) == 0
    # What a kill while flow images move into the frames' folder leaves: an incomplete record.
    assert extract_flow(good, str(out), preset='ultrafast') == 0
    record = read_record(str(out / 'good'), 'flow')
    write_record(str(out / 'good'), replace(record, complete=False))
    os.remove(out / 'good' / 'y_00009.jpg')
    assert extract_flow(good, str(out), preset='ultrafast') == 0
    assert '1 extracted (9 flow pairs)' in capsys.readouterr().out
    assert read_record(str(out / 'good'), 'flow').complete
    os.remove(out / 'good' / 'img_00004.jpg')  # a frame lost after the extraction
    assert extract_frames(good, str(out)) == 0
    assert '1 extracted (10 frames)' in capsys.readouterr().out
    assert extract_frames(good, str(out), short_side=16) == 1
    assert ('already extracted with other options: --short-side not set (now 16); rerun with '
            '--overwrite') in capsys.readouterr().out
    assert extract_frames(good, str(out), short_side=16, overwrite=True) == 0
    assert cv2.imread(str(out / 'good' / 'img_00001.jpg')).shape == (16, 16, 3)
    names = os.listdir(out / 'good')  # 10 frames, 9 flow pairs, their two records
    assert sum(n.startswith('img_') for n in names) == 10 and len(names) == 10 + 18 + 2


def test_bad_input_is_named(cut_videos, tmp_path):
    with pytest.raises(FileNotFoundError, match='nope does not exist: give a folder'):
        plan_extraction(str(tmp_path / 'nope'), str(tmp_path / 'out'))
    (tmp_path / 'file').write_text('')
    with pytest.raises(DatasetError, match='the output .*file is a file: give a folder'):
        plan_extraction(str(cut_videos), str(tmp_path / 'file'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(DatasetError, match='empty holds no video'):
        plan_extraction(str(tmp_path / 'empty'), str(tmp_path / 'out'))
    (tmp_path / 'list.csv').write_text('file,label\ngood.avi,0\n')
    with pytest.raises(DatasetError, match="list.csv has no column 'path'"):
        plan_extraction(str(tmp_path / 'list.csv'), str(tmp_path / 'out'))
    (tmp_path / 'list.csv').write_text('path,label\nvideos/good.avi,0\nvideos/good.avi,1\n')
    jobs = plan_extraction(str(tmp_path / 'list.csv'), str(tmp_path / 'out'))
    assert jobs == [ExtractJob(str(cut_videos / 'good.avi'), str(tmp_path / 'out' / 'videos' /
                                                                 'good'))]  # one per video
    (tmp_path / 'out').mkdir()
    (tmp_path / 'out' / 'y').write_text('')
    result = extract_video(ExtractJob(str(cut_videos / 'cut.avi'), str(tmp_path / 'out' / 'y')))
    assert result.status == 'failed' and 'exists and is not a folder' in result.error
