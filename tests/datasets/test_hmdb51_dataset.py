"""HMDB51Dataset on a tiny replica of the official layout (CRLF split lists, real .avi files)."""
import os

import numpy as np
import pytest

from vidreg.datasets import DatasetError, HMDB51Dataset

CLASSES = ['brush_hair', 'cartwheel', 'fall_floor']
ATTRS = ['u_nm_np1_ba_goo', 'f_cm_np1_le_med', 'h_nm_np2_fr_bad']


def clip_name(source: int, cls: str, n: int) -> str:
    """HMDB naming: <source>_<class>_<attributes>_<n>.avi; one source gives several clips."""
    return f'Movie_{source:02d}_{cls}_{ATTRS[n % 3]}_{n}.avi'


@pytest.fixture
def hmdb(tmp_path, video):
    """3 classes x 10 sources x 3 clips; per class sources 0-6 train (id 1), 7-8 test, 9 unused."""
    splits = tmp_path / 'testTrainMulti_7030_splits'
    splits.mkdir()
    for cls in CLASSES:
        (tmp_path / cls).mkdir()
        for fold in (1, 2):
            lines = []
            for source in range(10):
                for n in range(3):
                    name = clip_name(source, cls, n)
                    if fold == 1:
                        os.link(video, tmp_path / cls / name)
                    ident = 1 if source < 7 else 2 if source < 9 else 0
                    if fold == 2:
                        ident = {1: 2, 2: 1, 0: 0}[ident] if source >= 5 else ident
                    lines.append(f'{name} {ident} \r\n')  # trailing space + CRLF as distributed
            (splits / f'{cls}_test_split{fold}.txt').write_bytes(''.join(lines).encode())
    return tmp_path


def source_of(path: str) -> str:
    name = os.path.basename(path)
    return name.split('_')[1] + os.path.basename(os.path.dirname(path))


def test_test_split_is_official_id_2(hmdb):
    ds = HMDB51Dataset(data_root=str(hmdb), split='test')
    assert len(ds) == 3 * 2 * 3
    assert ds.metainfo['classes'] == tuple(CLASSES)
    labels = [ds.get_data_info(i)['label'] for i in range(len(ds))]
    assert sorted(set(labels)) == [0, 1, 2]
    sources = {os.path.basename(ds.get_data_info(i)['filename'])[:8] for i in range(len(ds))}
    assert sources == {'Movie_07', 'Movie_08'}


def test_train_val_carve_out_is_group_disjoint_stratified_and_reused(hmdb):
    train = HMDB51Dataset(data_root=str(hmdb), split='train', val_fraction=0.3)
    val = HMDB51Dataset(data_root=str(hmdb), split='val', val_fraction=0.3)
    train_files = {train.get_data_info(i)['filename'] for i in range(len(train))}
    val_files = {val.get_data_info(i)['filename'] for i in range(len(val))}
    assert len(train_files) + len(val_files) == 3 * 7 * 3 and not train_files & val_files
    # No source video straddles train and val.
    assert not {source_of(f) for f in train_files} & {source_of(f) for f in val_files}
    # Stratified: every class has 2 of its 7 sources (6 clips) in val.
    val_labels = [val.get_data_info(i)['label'] for i in range(len(val))]
    assert np.bincount(val_labels).tolist() == [6, 6, 6]
    stored = hmdb / 'testTrainMulti_7030_splits' / 'vidreg_trainval_split1_val0.3_seed0.csv'
    assert stored.is_file() and (hmdb / (str(stored) + '.json')).is_file()
    before = stored.read_bytes()
    again = HMDB51Dataset(data_root=str(hmdb), split='val', val_fraction=0.3)
    assert {again.get_data_info(i)['filename'] for i in range(len(again))} == val_files
    assert stored.read_bytes() == before
    # Deterministic: a fresh carve-out with the same seed is identical.
    stored.unlink()
    fresh = HMDB51Dataset(data_root=str(hmdb), split='val', val_fraction=0.3)
    assert {fresh.get_data_info(i)['filename'] for i in range(len(fresh))} == val_files


def test_fold_2_and_no_val(hmdb):
    train = HMDB51Dataset(data_root=str(hmdb), split='train', fold=2, val_fraction=0)
    assert len(train) == 3 * 3 * (5 + 2)
    with pytest.raises(DatasetError, match='val_fraction'):
        HMDB51Dataset(data_root=str(hmdb), split='val', val_fraction=0)


def test_changed_group_pattern_is_an_error(hmdb):
    HMDB51Dataset(data_root=str(hmdb), split='train')
    with pytest.raises(DatasetError, match='group_pattern.*Delete'):
        HMDB51Dataset(data_root=str(hmdb), split='train', group_pattern=r'^(.+)_')


def test_missing_split_dir_names_path_and_layout(hmdb, tmp_path):
    with pytest.raises(DatasetError) as info:
        HMDB51Dataset(data_root=str(hmdb), split='test', splits_dir='nope')
    assert str(hmdb / 'nope') in str(info.value) and '<class>_test_split{1,2,3}.txt' in str(
        info.value)


def test_missing_video_and_class_list_named(hmdb):
    (hmdb / 'cartwheel' / clip_name(8, 'cartwheel', 1)).unlink()
    with pytest.raises(DatasetError) as info:
        HMDB51Dataset(data_root=str(hmdb), split='test')
    assert 'cartwheel_test_split1.txt line 26' in str(info.value)
    assert clip_name(8, 'cartwheel', 1) in str(info.value)
    (hmdb / 'extra_class').mkdir()
    with pytest.raises(DatasetError, match=r"without '_test_split1.txt' list: \['extra_class'\]"):
        HMDB51Dataset(data_root=str(hmdb), split='test')


def test_a_class_from_one_source_video_fails_at_once_with_the_fixes(hmdb):
    # Every training clip (id 1) of 'cartwheel' comes from source film 0.
    lines = [f'{clip_name(source, "cartwheel", n)} {1 if source == 0 else 2}\r\n'
             for source in range(10) for n in range(3)]
    (hmdb / 'testTrainMulti_7030_splits' / 'cartwheel_test_split1.txt').write_text(''.join(lines))
    for split in ('train', 'val'):
        with pytest.raises(DatasetError) as info:
            HMDB51Dataset(data_root=str(hmdb), split=split, val_fraction=0.2)
        message = str(info.value)
        assert "1 class(es) ('cartwheel')" in message and 'one source video' in message
        assert 'val_fraction=0' in message and 'group_pattern' in message and 'leak' in message
    assert len(HMDB51Dataset(data_root=str(hmdb), split='train', val_fraction=0)) == 3 * 3 * 7 - 18


def test_an_empty_validation_carve_out_says_why_and_what_to_do(hmdb):
    """Two training films per class: 10% of them rounds down to no film in validation."""
    for cls in CLASSES:
        lines = [f'{clip_name(source, cls, n)} {1 if source < 2 else 2}\r\n'
                 for source in range(10) for n in range(3)]
        (hmdb / 'testTrainMulti_7030_splits' / f'{cls}_test_split1.txt').write_text(
            ''.join(lines))
    assert len(HMDB51Dataset(data_root=str(hmdb), split='train', val_fraction=0.1)) == 3 * 2 * 3
    with pytest.raises(DatasetError) as info:
        HMDB51Dataset(data_root=str(hmdb), split='val', val_fraction=0.1)
    message = str(info.value)
    assert "split='val' came out empty" in message and 'as few as 2 source videos' in message
    assert 'raise val_fraction to about 1/2 = 0.5' in message and 'val_fraction=0' in message
    assert len(HMDB51Dataset(data_root=str(hmdb), split='val', val_fraction=0.5)) == 3 * 3


def test_every_clip_a_sample_through_the_twostream_config(hmdb):
    """The seed-004 config's clip mode on the replica (10-frame 10 fps videos): mode 2 gives one
    clip per video (6 fps: frames 0, 2, 3), mode 1 (sample_fps=None) a clip at every frame."""
    from mmengine.runner import Runner

    from vidreg.config import load_config
    from vidreg.utils import register_all_modules

    register_all_modules()
    config = os.path.join(os.path.dirname(__file__), '..', '..', 'configs',
                          'twostream_r50_hmdb51.py')
    options = dict(data_root=str(hmdb), batch_size=4, num_workers=0, img_size=32)
    cfg = load_config(config, options)
    loader = Runner.build_dataloader(cfg.test_dataloader)
    assert len(loader.dataset) == 3 * 2 * 3  # test videos, one clip each
    sampler = loader.dataset.pipeline.sampler()
    assert sampler.clip_indices(10, 10.0, test_mode=True, clip_index=0).tolist() == [[0, 2, 3]]
    batch = next(iter(loader))
    assert tuple(batch['inputs']['imgs'].shape) == (4, 1, 3, 3, 32, 32)
    assert tuple(batch['inputs']['sg3i'].shape) == (4, 1, 1, 3, 32, 32)
    every_frame = load_config(config, dict(options, sample_fps=None))
    dataset = Runner.build_dataloader(every_frame.test_dataloader).dataset
    assert len(dataset) == 3 * 2 * 3 * 8
    assert [dataset.get_data_info(i)['clip_index'] for i in (0, 7, 8)] == [0, 7, 0]
    sampler = dataset.pipeline.sampler()
    assert [sampler.clip_indices(10, 10.0, test_mode=True, clip_index=i)[0].tolist()
            for i in (0, 7)] == [[0, 1, 2], [7, 8, 9]]
