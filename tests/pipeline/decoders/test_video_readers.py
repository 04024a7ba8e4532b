"""PyAVReader and OpenCVReader on the real sample videos."""
import pickle
import shutil

import av
import numpy as np
import pytest

from vidreg.pipeline import Compose, DecodeFrames, OpenVideo, SampleFrames
from vidreg.pipeline.decoders import (
    FrameFolderReader,
    OpenCVReader,
    PyAVReader,
    VideoReadError,
    build_video_reader,
)
from vidreg.registry import VIDEO_DECODERS
from vidreg.testing.shared_data import shared_data_dir

DATA = shared_data_dir()
# (file, frame count, keyframe indices worth straddling)
VIDEOS = [
    (f'{DATA}/bikes.mp4', 250, (30, 76, 137, 187, 242)),
    (f'{DATA}/carphone_pristine.mp4', 120, ()),
    (f'{DATA}/mmaction2/demo.mp4', 280, (187, 230, 268)),
    (f'{DATA}/mmaction2/test.mp4', 300, (235,)),  # two keyframes only
    (f'{DATA}/mmaction2/test.avi', 164, ()),  # MPEG-4 Part 2, packed B-frames
]
READERS = [PyAVReader, OpenCVReader]


def sequential_frames(path: str, indices) -> np.ndarray:
    """Reference: decode from the start with plain PyAV, counting frames."""
    wanted = set(int(i) for i in indices)
    frames = {}
    with av.open(path) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                frames[index] = frame.to_ndarray(format='rgb24')
            if index >= max(wanted):
                break
    return np.stack([frames[int(i)] for i in indices])


def scattered_indices(total_frames: int, keyframes: tuple) -> np.ndarray:
    """Unsorted indices with duplicates, straddling keyframes and the last frame."""
    rng = np.random.default_rng(total_frames)
    around = np.array([k + d for k in keyframes for d in (-1, 0, 1)], dtype=np.int64)
    inds = np.concatenate([rng.integers(1, total_frames, 8), around, [total_frames - 1, 5, 5]])
    return rng.permutation(inds)


@pytest.mark.parametrize('path,total_frames,keyframes', VIDEOS)
@pytest.mark.parametrize('reader_cls', READERS)
def test_scattered_read_matches_sequential_decode(reader_cls, path, total_frames, keyframes):
    inds = scattered_indices(total_frames, keyframes)
    with reader_cls(path) as reader:
        assert reader.total_frames == total_frames
        assert reader.fps and reader.fps > 20
        frames = reader.read(inds)
        assert frames.dtype == np.uint8 and frames.shape[0] == len(inds) and frames.shape[-1] == 3
        expected = sequential_frames(path, inds)
        # PyAV and OpenCV both use FFmpeg's decoder; allow colour-conversion rounding only.
        assert np.abs(frames.astype(np.int16) - expected).mean(axis=(1, 2, 3)).max() < 3
        if reader_cls is PyAVReader:
            np.testing.assert_array_equal(frames, expected)
        # A second read on the same reader (backward in time) is still right.
        again = reader.read(inds[:3])
        np.testing.assert_array_equal(again, frames[:3])


@pytest.mark.parametrize('path', [v[0] for v in VIDEOS if v[0].endswith('.mp4')])
def test_pyav_keeps_seeking_on_constant_rate_mp4(path):
    # Guards the fast path: a read must not fall back to decoding from the start.
    with PyAVReader(path) as reader:
        reader.read(np.array([reader.total_frames - 2, reader.total_frames // 2]))
        assert reader._seekable


def test_pyav_falls_back_when_timestamps_are_unreliable():
    path = f'{DATA}/mmaction2/test.avi'  # packed B-frames: decoded pts come out reordered
    with PyAVReader(path) as reader:
        assert not reader._seekable  # known case: counted from the start
        reader._seekable = True  # force the timestamp path: its checks must catch the reorder
        inds = np.array([40, 12, 100])
        np.testing.assert_array_equal(reader.read(inds), sequential_frames(path, inds))
        assert not reader._seekable


def test_pyav_and_opencv_agree():
    inds = np.arange(0, 280, 37)
    path = f'{DATA}/mmaction2/demo.mp4'
    with PyAVReader(path) as pyav, OpenCVReader(path) as cv:
        diff = np.abs(pyav.read(inds).astype(np.int16) - cv.read(inds))
    assert diff.mean() < 3


@pytest.mark.parametrize('reader_cls', READERS)
def test_indices_past_the_end_give_the_last_frame(reader_cls):
    path = f'{DATA}/carphone_pristine.mp4'
    with reader_cls(path) as reader:
        frames = reader.read([119, 125, 400])
        assert reader.total_frames == 120
    last = sequential_frames(path, [119])[0]
    for frame in frames:
        assert np.abs(frame.astype(np.int16) - last).mean() < 3


@pytest.fixture(scope='module')
def truncated_videos(tmp_path_factory):
    """An AVI and a faststart MP4 cut at 60 %: the container count overstates the frames."""
    root = tmp_path_factory.mktemp('broken')
    avi = root / 'cut.avi'
    data = open(f'{DATA}/mmaction2/test.avi', 'rb').read()
    avi.write_bytes(data[:int(len(data) * 0.6)])
    full = root / 'faststart.mp4'
    with av.open(f'{DATA}/mmaction2/demo.mp4') as src, \
            av.open(str(full), 'w', options={'movflags': 'faststart'}) as dst:
        out = dst.add_stream_from_template(src.streams.video[0])
        for packet in src.demux(video=0):
            if packet.dts is not None:
                packet.stream = out
                dst.mux(packet)
    mp4 = root / 'cut.mp4'
    data = full.read_bytes()
    mp4.write_bytes(data[:int(len(data) * 0.6)])
    return [str(avi), str(mp4)]


@pytest.mark.parametrize('which', [0, 1])
@pytest.mark.parametrize('reader_cls', READERS)
def test_broken_tail(reader_cls, truncated_videos, which):
    path = truncated_videos[which]
    with reader_cls(path) as reader:
        hint = reader.total_frames
        frames = reader.read([hint - 1, 10, hint // 3])
        real = reader.total_frames
    assert 10 < real < hint
    expected = sequential_frames(path, [real - 1, 10, hint // 3])
    assert np.abs(frames.astype(np.int16) - expected).mean(axis=(1, 2, 3)).max() < 3


@pytest.mark.parametrize('reader_cls', READERS)
@pytest.mark.parametrize('content', [b'', b'not a video' * 100], ids=['empty', 'garbage'])
def test_unreadable_file_raises_naming_it(reader_cls, tmp_path, content):
    path = tmp_path / 'bad_clip.mp4'
    path.write_bytes(content)
    with pytest.raises(VideoReadError, match='bad_clip.mp4'):
        reader_cls(path).read([0])


def test_mp4_cut_before_its_index_raises(tmp_path):
    path = tmp_path / 'no_moov.mp4'
    data = open(f'{DATA}/bikes.mp4', 'rb').read()
    path.write_bytes(data[:len(data) // 2])  # the moov atom sits at the end
    with pytest.raises(VideoReadError, match='no_moov.mp4'):
        PyAVReader(path)


def test_missing_file_and_pickling(tmp_path):
    with pytest.raises(VideoReadError, match='nowhere.avi') as info:
        build_video_reader(tmp_path / 'nowhere.avi')
    err = pickle.loads(pickle.dumps(info.value))
    assert str(err) == str(info.value) and err.path.endswith('nowhere.avi')


def test_build_video_reader_from_configs(tmp_path):
    path = f'{DATA}/carphone_pristine.mp4'
    auto = build_video_reader(path)
    assert isinstance(auto, PyAVReader) and auto._num_threads == 1
    assert isinstance(build_video_reader(path, dict(type='OpenCVReader')), OpenCVReader)
    folder = tmp_path / 'frames'
    shutil.copytree(f'{DATA}/mmaction2/frames_img', folder)
    reader = build_video_reader(folder, dict(type='auto_video_reader', folder_reader=dict(
        type='FrameFolderReader', fps=30.0)))
    assert isinstance(reader, FrameFolderReader) and reader.fps == 30.0
    with pytest.raises(KeyError, match='Decord'):
        build_video_reader(path, dict(type='DecordReader'))


def test_a_reader_registered_elsewhere_is_chosen_from_config():
    @VIDEO_DECODERS.register_module(force=True)
    class _TestGrayReader(PyAVReader):  # what a plugin's reader does: register, then be named
        def _read_sorted(self, wanted):
            return [np.full_like(frame, 7) for frame in super()._read_sorted(wanted)]

    try:
        pipeline = Compose([OpenVideo(reader=dict(type='_TestGrayReader', num_threads=1)),
                            SampleFrames(num_frames=2), DecodeFrames()])
        results = pipeline(dict(filename=f'{DATA}/carphone_pristine.mp4', test_mode=True))
        assert results['imgs'].shape[:2] == (2, 3) and bool((results['imgs'] == 7).all())
    finally:
        VIDEO_DECODERS.module_dict.pop('_TestGrayReader')


def test_read_validates_indices():
    with PyAVReader(f'{DATA}/carphone_pristine.mp4') as reader:
        with pytest.raises(ValueError):
            reader.read([])
        with pytest.raises(ValueError):
            reader.read([-1])
