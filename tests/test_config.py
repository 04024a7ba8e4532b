import pytest

from vidreg.config import ConfigError, load_config


@pytest.fixture
def config_tree(tmp_path):
    (tmp_path / '_base_').mkdir()
    (tmp_path / '_base_' / 'data.py').write_text(
        "num_frames = 16\n"
        "data_root = 'data/x'\n"
        "pipeline = [dict(type='UniformSampleFrames', num_frames=num_frames)]\n"
        "train_dataloader = dict(dataset=dict(data_root=data_root, pipeline=pipeline))\n"
        "val_dataloader = dict(dataset=dict(data_root=data_root, pipeline=pipeline))\n")
    (tmp_path / 'leaf.py').write_text(
        "_base_ = ['./_base_/data.py']\n"
        "num_classes = 4\n"
        "model = dict(head=dict(num_classes=num_classes))\n")
    (tmp_path / 'leaf_override.py').write_text(
        "_base_ = ['./_base_/data.py']\n"
        "num_frames = 8\n")
    return tmp_path


def test_plain_load(config_tree):
    cfg = load_config(str(config_tree / 'leaf.py'))
    assert cfg.train_dataloader.dataset.pipeline[0].num_frames == 16
    assert cfg.filename.endswith('leaf.py')


def test_cli_knob_reaches_every_use(config_tree):
    cfg = load_config(str(config_tree / 'leaf.py'),
                      {'num_frames': 4, 'data_root': '/elsewhere', 'num_classes': 7})
    assert cfg.num_frames == 4
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        assert loader.dataset.pipeline[0].num_frames == 4
        assert loader.dataset.data_root == '/elsewhere'
    assert cfg.model.head.num_classes == 7


def test_leaf_assignment_overrides_base_uses(config_tree):
    cfg = load_config(str(config_tree / 'leaf_override.py'))
    assert cfg.val_dataloader.dataset.pipeline[0].num_frames == 8


def test_dotted_options_merge(config_tree):
    cfg = load_config(str(config_tree / 'leaf.py'), {'model.head.dropout': 0.5})
    assert cfg.model.head.dropout == 0.5 and cfg.model.head.num_classes == 4


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match='nope.py'):
        load_config(str(tmp_path / 'nope.py'))
