"""FrameFolderReader: numeric order, prefixes, errors."""
import shutil

import cv2
import numpy as np
import pytest

from vidreg.datasets.decoders import FrameFolderReader, VideoReadError, list_frame_files

FRAMES = '/work/shared/data/mmaction2/frames_img'


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
    assert reader.num_frames == 12 and reader.fps is None
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
    assert reader.num_frames == 10
    rgb = cv2.cvtColor(cv2.imread(str(folder / 'img_00004.jpg')), cv2.COLOR_BGR2RGB)
    np.testing.assert_array_equal(reader.read([3])[0], rgb)
    assert FrameFolderReader(folder, prefix='x_').num_frames == 5


def test_past_the_end_gives_last_frame(tmp_path):
    folder = write_frames(tmp_path / 'clip', [(f'img_{i:05d}.jpg', 30 * i) for i in range(1, 5)])
    assert decoded_values(FrameFolderReader(folder).read([2, 9])) == [90, 120]


def test_ambiguous_prefix_names_folder(tmp_path):
    folder = write_frames(tmp_path / 'two_kinds', [('a_1.jpg', 0), ('b_1.jpg', 0)])
    with pytest.raises(VideoReadError, match='two_kinds.*frame_prefix'):
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
