"""FrameFolderReader: numeric order, prefixes, errors, reduced-size reads."""
import os
import shutil

import cv2
import numpy as np
import pytest

from vidreg.pipeline.decoders import (
    FrameFolderReader,
    VideoReadError,
    build_video_reader,
    list_frame_files,
)
from vidreg.pipeline.decoders.frame_folder_reader import jpeg_size, reduced_imread_flag
from vidreg.testing.shared_data import shared_data_dir

FRAMES = os.path.join(shared_data_dir(), 'mmaction2', 'frames_img')


def write_frames(folder, names_and_values):
    """One flat gray JPEG per (name, value): the value encodes the frame."""
    folder.mkdir(exist_ok=True)
    for name, value in names_and_values:
        cv2.imwrite(str(folder / name), np.full((8, 10, 3), value, np.uint8))
    return folder


def decoded_values(frames: np.ndarray) -> list[int]:
    return [int(round(v)) for v in frames.mean(axis=(1, 2, 3))]


def test_unpadded_names_sort_numerically(tmp_path):
    # 1.jpg .. 12.jpg: a lexicographic sort would give 1, 10, 11, 12, 2, ...
    folder = write_frames(tmp_path / 'clip', [(f'{i}.jpg', 20 * i) for i in range(1, 13)])
    reader = FrameFolderReader(folder)
    assert reader.total_frames == 12 and reader.fps is None
    frames = reader.read(np.arange(12))
    assert frames.shape == (12, 8, 10, 3) and frames.dtype == np.uint8
    assert decoded_values(frames) == [20 * i for i in range(1, 13)]


def test_mixed_padding_and_order_of_request(tmp_path):
    names = [('frame1.png', 10), ('frame02.png', 20), ('frame0010.png', 100), ('frame3.png', 30)]
    reader = FrameFolderReader(write_frames(tmp_path / 'clip', names), fps=25.0)
    assert decoded_values(reader.read([3, 0, 0, 2])) == [100, 10, 10, 30]
    assert reader.fps == 25.0


def test_rawframes_layout_ignores_flow_images(tmp_path):
    folder = tmp_path / 'frames'
    shutil.copytree(FRAMES, folder)
    assert list_frame_files(str(folder))[:2] == ['img_00001.jpg', 'img_00002.jpg']
    reader = FrameFolderReader(folder)
    assert reader.total_frames == 10
    rgb = cv2.cvtColor(cv2.imread(str(folder / 'img_00004.jpg')), cv2.COLOR_BGR2RGB)
    np.testing.assert_array_equal(reader.read([3])[0], rgb)
    assert FrameFolderReader(folder, prefix='x_').total_frames == 5


def test_past_the_end_gives_last_frame(tmp_path):
    folder = write_frames(tmp_path / 'clip', [(f'img_{i:05d}.jpg', 30 * i) for i in range(1, 5)])
    assert decoded_values(FrameFolderReader(folder).read([2, 9])) == [90, 120]


def test_ambiguous_prefix_names_folder(tmp_path):
    folder = write_frames(tmp_path / 'two_kinds', [('a_1.jpg', 0), ('b_1.jpg', 0)])
    with pytest.raises(VideoReadError, match='two_kinds.*prefix='):
        FrameFolderReader(folder)


def test_duplicate_frame_numbers(tmp_path):
    folder = write_frames(tmp_path / 'dup', [('img_1.jpg', 0), ('img_01.jpg', 0)])
    with pytest.raises(VideoReadError, match='same frame number'):
        FrameFolderReader(folder)


def test_empty_or_missing_folder(tmp_path):
    (tmp_path / 'empty_clip').mkdir()
    with pytest.raises(VideoReadError, match='empty_clip'):
        FrameFolderReader(tmp_path / 'empty_clip')
    with pytest.raises(VideoReadError, match='missing_clip'):
        FrameFolderReader(tmp_path / 'missing_clip')


def test_unreadable_image_names_file(tmp_path):
    folder = write_frames(tmp_path / 'clip', [('img_1.jpg', 0), ('img_2.jpg', 0)])
    (folder / 'img_3.jpg').write_bytes(b'')
    reader = FrameFolderReader(folder)
    reader.read([0, 1])
    with pytest.raises(VideoReadError, match='img_3.jpg'):
        reader.read([2])


@pytest.mark.parametrize('height, width, min_short_side, flag', [
    (256, 340, None, cv2.IMREAD_COLOR),
    (256, 340, 128, cv2.IMREAD_REDUCED_COLOR_2),   # 128 >= 128
    (240, 320, 128, cv2.IMREAD_COLOR),             # 240 // 2 = 120 < 128
    (340, 256, 64, cv2.IMREAD_REDUCED_COLOR_4),    # portrait: the short side is the width
    (720, 1280, 128, cv2.IMREAD_REDUCED_COLOR_4),  # 720 // 8 = 90 < 128 <= 720 // 4
    (1080, 1920, 128, cv2.IMREAD_REDUCED_COLOR_8),
    (1024, 1024, 128, cv2.IMREAD_REDUCED_COLOR_8),  # exactly 128 at 1/8
    (1023, 1024, 128, cv2.IMREAD_REDUCED_COLOR_4),
])
def test_reduced_imread_flag(height, width, min_short_side, flag):
    assert reduced_imread_flag(height, width, min_short_side) == flag


def test_jpeg_size_reads_the_header(tmp_path):
    cv2.imwrite(str(tmp_path / 'a.jpg'), np.zeros((37, 53, 3), np.uint8))
    cv2.imwrite(str(tmp_path / 'a.png'), np.zeros((37, 53, 3), np.uint8))
    assert jpeg_size(str(tmp_path / 'a.jpg')) == (37, 53)
    assert jpeg_size(f'{FRAMES}/img_00001.jpg') == (240, 320)
    assert jpeg_size(str(tmp_path / 'a.png')) is None
    assert jpeg_size(str(tmp_path / 'missing.jpg')) is None


@pytest.mark.parametrize('min_short_side, shape', [
    (60, (60, 80)), (100, (120, 160)), (121, (240, 320))])
def test_reduced_read_is_close_to_full_read_resized(min_short_side, shape):
    # Real 320x240 frames: 1/4 keeps 60, 1/2 keeps 120 >= 100, 121 needs the full size.
    reader = FrameFolderReader(FRAMES, min_short_side=min_short_side)
    reduced = reader.read([4, 0, 4])
    assert reduced.shape == (3, *shape, 3) and reduced.dtype == np.uint8
    full = FrameFolderReader(FRAMES).read([4, 0, 4])
    resized = np.stack([cv2.resize(frame, shape[::-1], interpolation=cv2.INTER_AREA)
                        for frame in full])
    assert np.abs(reduced.astype(np.int16) - resized).mean() < 1.5  # measured 0.3


def test_reduced_read_of_png_frames_and_builder(tmp_path):
    # Not a JPEG: the first frame is decoded once to know its size; OpenCV then resizes.
    folder = write_frames(tmp_path / 'clip', [(f'img_{i}.png', 40 * i) for i in range(1, 4)])
    reader = build_video_reader(folder, dict(type='auto_video_reader', folder_reader=dict(
        type='FrameFolderReader', min_short_side=4)))
    assert reader.min_short_side == 4
    assert reader.read([2, 0]).shape == (2, 4, 5, 3)  # 8x10 at 1/2
    assert decoded_values(reader.read([2, 0])) == [120, 40]


def test_min_short_side_must_be_positive(tmp_path):
    folder = write_frames(tmp_path / 'clip', [('img_1.jpg', 0)])
    with pytest.raises(ValueError, match='min_short_side'):
        FrameFolderReader(folder, min_short_side=0)
