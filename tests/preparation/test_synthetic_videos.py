"""Tests for the synthetic order-dependent video generator."""
import csv
import json
import math
import time
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from vidreg.datasets import DatasetError
from vidreg.preparation import synthetic_videos
from vidreg.preparation.synthetic_videos import CLASS_NAMES, generate_synthetic_dataset

ARGS = dict(num_classes=6, videos_per_class=(2, 1, 1), num_frames_range=(8, 14), size=(32, 32),
            seed=3, progress=False)


def _rows(path: str) -> list[dict]:
    with open(path, newline='') as file:
        return list(csv.DictReader(file))


def _decode_cv2(path: Path) -> np.ndarray:
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame[..., ::-1])  # BGR -> RGB
    capture.release()
    return np.stack(frames)  # (T, H, W, 3)


def _decode_av(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format='rgb24') for f in container.decode(video=0)])


def _object_mask(frames: np.ndarray) -> np.ndarray:
    """Pixels far from the background colour (median of the border), (T, H, W) bool."""
    frames = frames.astype(np.float64)
    border = np.concatenate([frames[:, 0], frames[:, -1], frames[:, :, 0], frames[:, :, -1]], 1)
    distance = np.linalg.norm(frames - np.median(border, axis=1)[:, None, None], axis=-1)
    return distance > 0.5 * np.percentile(distance, 99.5, axis=(1, 2))[:, None, None]


def _orientation(mask: np.ndarray) -> float:
    """Major-axis angle of a mask (H, W), radians, growing clockwise on screen (y down)."""
    ys, xs = np.nonzero(mask)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    return 0.5 * math.atan2(2 * (dx * dy).mean(), (dx * dx).mean() - (dy * dy).mean())


def _trend(frames: np.ndarray, name: str) -> float:
    """Signed change over the video of the attribute that the class of ``name`` varies."""
    if name in ('grow', 'shrink'):
        area = _object_mask(frames).sum(axis=(1, 2)).astype(float)
        return area[-3:].mean() - area[:3].mean()
    if name in ('brighten', 'darken'):
        brightness = frames.mean(axis=(1, 2, 3))
        return brightness[-3:].mean() - brightness[:3].mean()
    angles = [_orientation(mask) for mask in _object_mask(frames)]
    steps = np.diff(angles)
    steps = (steps + math.pi / 2) % math.pi - math.pi / 2  # a bar's angle is defined modulo pi
    return float(steps.sum())


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic') / 'data'
    return root, generate_synthetic_dataset(root, **ARGS)


def test_layout_and_csvs(dataset):
    root, paths = dataset
    assert set(paths) == {'train', 'val', 'test', 'train_regression', 'val_regression',
                          'test_regression', 'classes'}
    assert Path(paths['classes']).read_text().split() == list(CLASS_NAMES[:6])
    for split, count in zip(('train', 'val', 'test'), ARGS['videos_per_class']):
        with open(paths[split]) as file:
            assert file.readline() == 'path,label\n'
        rows, reg_rows = _rows(paths[split]), _rows(paths[f'{split}_regression'])
        assert len(rows) == 6 * count
        assert [r['path'] for r in rows] == [r['path'] for r in reg_rows]
        for row, reg_row in zip(rows, reg_rows):
            label, target = int(row['label']), float(reg_row['label'])
            assert row['path'] == f'videos/{split}/{CLASS_NAMES[label]}/{Path(row["path"]).name}'
            assert (root / row['path']).is_file()
            assert 0.3 <= abs(target) <= 1.0 and (target > 0) == (label % 2 == 0)
    assert json.loads((root / 'meta.json').read_text())['args']['seed'] == 3


def test_decodes_with_opencv_and_pyav(dataset):
    root, paths = dataset
    for row in _rows(paths['train']):
        path = root / row['path']
        frames_cv2, frames_av = _decode_cv2(path), _decode_av(path)
        assert frames_cv2.shape == frames_av.shape
        assert 8 <= len(frames_cv2) <= 14 and frames_cv2.shape[1:] == (32, 32, 3)
        assert np.abs(frames_cv2.astype(int) - frames_av).max() <= 2
        capture = cv2.VideoCapture(str(path))
        assert capture.get(cv2.CAP_PROP_FRAME_COUNT) == len(frames_cv2)
        assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(10)
        with av.open(str(path)) as container:
            assert container.streams.video[0].frames == len(frames_av)


def test_deterministic(dataset, tmp_path):
    root, paths = dataset
    again = generate_synthetic_dataset(tmp_path / 'again', **ARGS)
    generate_synthetic_dataset(tmp_path / 'other', **{**ARGS, 'seed': 4})
    for key in paths:
        assert Path(paths[key]).read_text() == Path(again[key]).read_text()
    for row in _rows(paths['train']) + _rows(paths['test']):
        first = _decode_cv2(root / row['path'])
        np.testing.assert_array_equal(first, _decode_av(tmp_path / 'again' / row['path']))
    video = _rows(paths['train'])[0]['path']
    seed3, seed4 = _decode_cv2(root / video), _decode_cv2(tmp_path / 'other' / video)
    assert seed3.shape != seed4.shape or not np.array_equal(seed3, seed4)


def test_reversal_property(dataset):
    """The first class of each pair increases its attribute, the second decreases it."""
    root, paths = dataset
    for row in _rows(paths['train']) + _rows(paths['val']) + _rows(paths['test']):
        label = int(row['label'])
        trend = _trend(_decode_av(root / row['path']), CLASS_NAMES[label])
        assert (trend > 0) == (label % 2 == 0), (row['path'], trend)


def test_reversed_class_is_forward_played_backwards():
    """Same parameters: the second class of a pair is exactly the first one's frames reversed."""
    for pair in range(4):
        frames, magnitude = synthetic_videos._render_forward(
            pair, np.random.default_rng(7), num_frames=9, size=(32, 32))
        again, _ = synthetic_videos._render_forward(
            pair, np.random.default_rng(7), num_frames=9, size=(32, 32))
        np.testing.assert_array_equal(frames, again)
        assert frames.shape == (9, 32, 32, 3) and 0.3 <= magnitude <= 1.0
        assert not np.array_equal(frames[0], frames[-1])


def test_cache_returns_without_rewriting(dataset, monkeypatch):
    root, paths = dataset
    mtimes = {p: p.stat().st_mtime_ns for p in root.rglob('*')}

    def fail(*args, **kwargs):
        raise AssertionError('a cached dataset must not be rewritten')

    monkeypatch.setattr(synthetic_videos, '_write_video', fail)
    start = time.perf_counter()
    assert generate_synthetic_dataset(root, **ARGS) == paths
    assert time.perf_counter() - start < 0.5
    assert {p: p.stat().st_mtime_ns for p in root.rglob('*')} == mtimes


def test_other_arguments_replace_a_stale_dataset(tmp_path):
    root = tmp_path / 'data'
    generate_synthetic_dataset(root, **{**ARGS, 'videos_per_class': (1, 0, 0)})
    paths = generate_synthetic_dataset(root, **{**ARGS, 'videos_per_class': (2, 0, 0)})
    assert len(_rows(paths['train'])) == 12 and _rows(paths['val']) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ['data']


def test_failure_leaves_nothing(tmp_path, monkeypatch):
    calls = []
    write_video = synthetic_videos._write_video

    def fail_on_fourth(*args):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError('disk full')
        write_video(*args)

    monkeypatch.setattr(synthetic_videos, '_write_video', fail_on_fourth)
    with pytest.raises(RuntimeError, match='disk full'):
        generate_synthetic_dataset(tmp_path / 'data', **ARGS)
    assert list(tmp_path.iterdir()) == []  # neither root nor a temporary sibling


def test_refuses_foreign_folder_and_bad_arguments(tmp_path):
    foreign = tmp_path / 'mine'
    foreign.mkdir()
    (foreign / 'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError):
        generate_synthetic_dataset(foreign, **ARGS)
    assert (foreign / 'notes.txt').read_text() == 'keep me'
    for bad in (dict(num_classes=5), dict(num_frames_range=(1, 4)), dict(size=(8, 32)),
                dict(size=(33, 32)), dict(videos_per_class=(1, 1)), dict(fps=0)):
        with pytest.raises(ValueError):
            generate_synthetic_dataset(tmp_path / 'bad', **{**ARGS, **bad})
    assert not (tmp_path / 'bad').exists()


def _unwritable_folder(tmp_path) -> Path:
    """A folder this process cannot create anything in (root ignores permissions: /sys)."""
    folder = tmp_path / 'read_only'
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path('/sys')):
        try:
            (candidate / 'probe').mkdir()
        except OSError:
            return candidate
        (candidate / 'probe').rmdir()
    pytest.skip('no unwritable folder on this machine')


def test_a_read_only_data_root_is_named_with_what_to_do(tmp_path):
    root = _unwritable_folder(tmp_path) / 'synthetic'
    try:
        with pytest.raises(DatasetError) as info:
            generate_synthetic_dataset(root, **ARGS)
    finally:
        (tmp_path / 'read_only').chmod(0o755)
    message = str(info.value)
    assert f"into '{root}'" in message and 'data_root' in message and '\n' not in message


def test_multi_label_set_holds_independent_things_read_as_multi_hot_rows(tmp_path):
    from vidreg.datasets import SyntheticVideoDataset
    from vidreg.preparation.synthetic_multilabel_videos import MULTILABEL_CLASS_NAMES
    args = dict(ARGS, num_classes=4, videos_per_class=(3, 1, 1), multilabel=True)
    outputs = generate_synthetic_dataset(tmp_path / 'ml', **args)
    assert set(outputs) == {'train', 'val', 'test', 'classes'}  # no regression CSVs
    rows = _rows(outputs['train'])
    assert len(rows) == 12 and len({row['label'] for row in rows}) > 3  # several subsets
    assert Path(outputs['classes']).read_text().split() == list(MULTILABEL_CLASS_NAMES)
    again = _decode_cv2(tmp_path / 'ml' / rows[0]['path'])
    assert generate_synthetic_dataset(tmp_path / 'ml', **args) == outputs  # cached
    assert np.array_equal(_decode_cv2(tmp_path / 'ml' / rows[0]['path']), again)
    dataset = SyntheticVideoDataset(data_root=str(tmp_path / 'ml'), task='multilabel',
                                    num_classes=4, videos_per_class=(3, 1, 1),
                                    num_frames_range=(8, 14), frame_size=(32, 32), seed=3)
    labels = [dataset.get_data_info(i)['label'] for i in range(len(dataset))]
    assert [';'.join(str(k) for k, on in enumerate(label) if on) for label in labels] == [
        row['label'] for row in rows]
    with pytest.raises(ValueError, match='multi-label set has 1 to 4 classes'):
        generate_synthetic_dataset(tmp_path / 'ml5', **dict(args, num_classes=5))
