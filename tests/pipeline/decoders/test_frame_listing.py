"""Frame listings: compact runs, and a cache that follows changes to the folder."""
import os

import pytest

from vidreg.pipeline.decoders import VideoReadError
from vidreg.pipeline.decoders.frame_listing import FrameRun, cached_frame_names


def _touch(folder, *names):
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b'')


@pytest.mark.parametrize('names, template, start', [
    (['img_00001.jpg', 'img_00002.jpg', 'img_00003.jpg'], 'img_{:05d}.jpg', 1),
    (['8.png', '9.png', '10.png', '11.png'], '{:01d}.png', 8),
    (['f0.jpg', 'f1.jpg'], 'f{:01d}.jpg', 0),
])
def test_run_spells_the_names(names, template, start):
    run = FrameRun.from_names(names)
    assert (run.template, run.start, len(run)) == (template, start, len(names))
    assert list(run) == names and run[-1] == names[-1]
    with pytest.raises(IndexError):
        run[len(names)]


@pytest.mark.parametrize('names', [
    ['img_00001.jpg', 'img_00003.jpg'],  # a gap
    ['img_0001.jpg', 'img_00002.jpg'],  # padding changes
    ['1.jpg', '2.png'],  # extension changes
])
def test_no_run_for_irregular_names(names):
    assert FrameRun.from_names(names) is None


def test_cache_follows_the_folder(tmp_path):
    folder = tmp_path / 'video'
    _touch(folder, *(f'img_{i:05d}.jpg' for i in range(1, 6)))
    first = cached_frame_names(str(folder))
    assert isinstance(first, FrameRun) and len(first) == 5
    assert cached_frame_names(str(folder)) is first  # unchanged folder: no new listing
    _touch(folder, 'img_00006.jpg')
    os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))  # coarse clocks: force a change
    assert list(cached_frame_names(str(folder)))[-1] == 'img_00006.jpg'


def test_irregular_folder_is_listed_each_time(tmp_path):
    folder = tmp_path / 'gappy'
    _touch(folder, '1.jpg', '3.jpg')
    assert cached_frame_names(str(folder)) == ['1.jpg', '3.jpg']


def test_missing_folder_still_reports(tmp_path):
    with pytest.raises(VideoReadError, match='does not exist'):
        cached_frame_names(str(tmp_path / 'nope'))


def test_flow_images_are_listed_when_a_flow_reader_asks(tmp_path):
    names = [f'{kind}_{i:05d}.jpg' for kind in ('img', 'x', 'y') for i in (1, 2)]
    _touch(tmp_path / 'clip', *names)
    folder = str(tmp_path / 'clip')
    assert list(cached_frame_names(folder)) == ['img_00001.jpg', 'img_00002.jpg']  # flow aside
    assert list(cached_frame_names(folder, modality='flow_x')) == ['x_00001.jpg', 'x_00002.jpg']
    assert list(cached_frame_names(folder, modality='flow_y')) == ['y_00001.jpg', 'y_00002.jpg']
    _touch(tmp_path / 'clip', 'flow_x_00001.jpg')
    with pytest.raises(VideoReadError, match="flow_x frames with several name prefixes"):
        cached_frame_names(folder, modality='flow_x')
