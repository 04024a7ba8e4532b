"""vidreg.preparation.prepare_videos: real copies of real (tiny) videos, checked, resumable."""
import os
import shutil
from dataclasses import replace

import av
import numpy as np
import pytest

from vidreg.datasets import DatasetError
from vidreg.pipeline.decoders import PyAVReader
from vidreg.preparation import (
    ExtractJob,
    prepare_video,
    prepare_videos,
    read_record,
    write_record,
)
from vidreg.testing.shared_data import shared_data_dir
from vidreg.testing.tiny_video import write_tiny_mp4, write_truncated_video

DATA = shared_data_dir()


@pytest.fixture
def videos(tmp_path, monkeypatch):
    """carphone (H.264 176x144, 120 frames, long GOP) and a tiny MPEG-4 AVI, in a tree."""
    monkeypatch.setenv('COLUMNS', '400')  # keep rich from folding paths in the tables
    root = tmp_path / 'videos'
    (root / 'sub').mkdir(parents=True)
    shutil.copy(f'{DATA}/carphone_pristine.mp4', root / 'carphone.mp4')
    write_tiny_mp4(root / 'sub' / 'tiny.mp4', num_frames=20, size=48)
    return root


def stream_facts(path) -> tuple[str, int, int, list[int]]:
    """Codec, width, height and the indices of the keyframes of a video's first stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        keys = [index for index, frame in enumerate(container.decode(stream))
                if frame.key_frame]
        return stream.codec_context.name, stream.width, stream.height, keys


def test_copy_has_every_frame_short_gop_and_reads_back_at_random(videos, tmp_path):
    video, copy = videos / 'carphone.mp4', tmp_path / 'out' / 'carphone.mp4'
    assert stream_facts(video)[3] == [0]  # one keyframe: every read decodes from frame 0
    result = prepare_video(ExtractJob(str(video), str(copy)), gop=16, codec='libx264')
    assert (result.status, result.num_frames, result.decoded_frames) == ('done', 120, 120)
    codec, width, height, keys = stream_facts(copy)
    assert (codec, width, height) == ('h264', 176, 144)
    assert keys == list(range(0, 120, 16))
    with PyAVReader(video) as original, PyAVReader(copy) as prepared:
        assert prepared.total_frames == 120
        wanted = np.array([3, 50, 51, 97, 119])
        difference = np.abs(prepared.read(wanted).astype(np.int16) - original.read(wanted))
    assert difference.mean() < 3  # crf 18: a close copy, and the same frames
    record = read_record(str(copy), 'video')
    assert (record.images, record.complete, record.options) == (
        120, True, dict(codec='libx264', gop=16, short_side=None, crf=18))


def test_avi_gets_mpeg4_and_short_side_shrinks(tmp_path):  # MPEG-4 is auto's choice
    video = f'{DATA}/mmaction2/test.avi'  # MPEG-4 320x240, 164 frames
    copy = tmp_path / 'test.avi'
    result = prepare_video(ExtractJob(video, str(copy)), short_side=64, gop=8)
    assert result.status == 'done' and result.num_frames == 164
    codec, width, height, keys = stream_facts(copy)
    assert (codec, width, height) == ('mpeg4', 84, 64)  # 85.3 x 64, made even
    assert keys[:3] == [0, 8, 16]
    with PyAVReader(copy) as reader:
        assert reader.read(np.array([150, 7])).shape == (2, 64, 84, 3)


def test_rerun_skips_done_redoes_interrupted_and_refuses_other_options(videos, tmp_path,
                                                                      capsys):
    out = tmp_path / 'out'
    assert prepare_videos(str(videos), str(out), gop=8) == 0
    text = capsys.readouterr().out
    assert '2 prepared (140 frames), 0 already done, 0 failed, 0 truncated' in text
    assert 'Sizes on disk' in text and '.mp4' in text
    assert prepare_videos(str(videos), str(out), gop=8) == 0
    assert '0 prepared (0 frames), 2 already done' in capsys.readouterr().out
    # A kill between the copy's rename and its record: incomplete record; a kill while
    # encoding: a hidden temporary file. Both are redone / removed.
    tiny = out / 'sub' / 'tiny.mp4'
    write_record(str(tiny), replace(read_record(str(tiny), 'video'), complete=False))
    stale = out / '.carphone.mp4.tmp-deadbeef'
    stale.write_bytes(b'half a video')
    assert prepare_videos(str(videos), str(out), gop=8) == 0
    assert '1 prepared (20 frames), 1 already done' in capsys.readouterr().out
    assert not stale.exists() and read_record(str(tiny), 'video').complete
    assert sorted(os.listdir(out)) == ['.carphone.mp4.vidreg-video.json', 'carphone.mp4', 'sub']
    # Other options: refused per video, with what to do; --overwrite redoes them.
    assert prepare_videos(str(videos), str(out), gop=4) == 1
    text = capsys.readouterr().out
    assert 'already prepared with other options: --gop 8 (now 4)' in text
    assert prepare_videos(str(videos), str(out), gop=4, overwrite=True) == 0
    assert max(np.diff(stream_facts(tiny)[3])) <= 4  # redone with the new GOP


def test_a_file_not_written_by_the_tool_is_not_replaced(videos, tmp_path, capsys):
    out = tmp_path / 'out'
    (out / 'sub').mkdir(parents=True)
    (out / 'sub' / 'tiny.mp4').write_bytes(b'somebody else\'s file')
    assert prepare_videos(str(videos), str(out)) == 1
    assert 'exists but was not written by prepare_videos' in capsys.readouterr().out
    assert (out / 'sub' / 'tiny.mp4').read_bytes() == b'somebody else\'s file'


def test_bad_inputs_are_listed_with_what_to_do_and_the_rest_is_done(videos, tmp_path, capsys):
    (videos / 'broken.mp4').write_bytes(b'not a video' * 50)
    (videos / 'sub' / 'web.webm').write_bytes(b'\x1a\x45\xdf\xa3')
    write_truncated_video(videos / 'cut.mp4')  # header: 50 frames, 10 decode
    out = tmp_path / 'out'
    assert prepare_videos(str(videos), str(out), workers=2) == 1
    text = capsys.readouterr().out
    assert '3 prepared (150 frames), 0 already done, 2 failed, 1 truncated' in text
    failed = text.split('Failed videos', 1)[1]
    assert 'broken.mp4' in failed and 're-encode a damaged video' in failed
    assert 'web.webm' in failed and 'Convert them to .mp4' in failed
    assert 'their copies hold the frames that decode' in text
    assert not (out / 'broken.mp4').exists() and not (out / 'sub' / 'web.webm').exists()
    with PyAVReader(out / 'cut.mp4') as reader:
        assert reader.total_frames == 10  # the copy's header tells the truth
    assert prepare_videos(str(videos / 'cut.mp4'), str(out / 'one'),
                          allow_truncated=True) == 0
    assert 'cut.mp4' in capsys.readouterr().out  # accepted, still listed


def test_usage_mistakes_stop_before_any_work(videos, tmp_path):
    shutil.copy(f'{DATA}/mmaction2/test.avi', videos / 'test.avi')
    with pytest.raises(DatasetError, match='.avi files cannot hold libx264'):
        prepare_videos(str(videos), str(tmp_path / 'out'), codec='libx264')
    with pytest.raises(DatasetError, match='lies inside the input folder'):
        prepare_videos(str(videos), str(videos / 'prepared'))
    with pytest.raises(DatasetError, match='would replace it'):
        prepare_videos(str(videos / 'carphone.mp4'), str(videos))
    assert not (tmp_path / 'out').exists() or not os.listdir(tmp_path / 'out')
