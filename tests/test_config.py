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


def test_a_middle_configs_knobs_reach_the_fragments_below_it(config_tree):
    (config_tree / 'on_leaf_override.py').write_text("_base_ = ['./leaf_override.py']\n")
    cfg = load_config(str(config_tree / 'on_leaf_override.py'))
    assert cfg.train_dataloader.dataset.pipeline[0].num_frames == 8  # the middle file's
    (config_tree / 'on_leaf_override_2.py').write_text(
        "_base_ = ['./leaf_override.py']\nnum_frames = 2\n")
    cfg = load_config(str(config_tree / 'on_leaf_override_2.py'))
    assert cfg.val_dataloader.dataset.pipeline[0].num_frames == 2  # the nearest file wins
    cfg = load_config(str(config_tree / 'on_leaf_override_2.py'), {'num_frames': 5})
    assert cfg.val_dataloader.dataset.pipeline[0].num_frames == 5  # and the command line


def test_dotted_options_merge(config_tree):
    cfg = load_config(str(config_tree / 'leaf.py'), {'model.head.dropout': 0.5})
    assert cfg.model.head.dropout == 0.5 and cfg.model.head.num_classes == 4


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match='nope.py'):
        load_config(str(tmp_path / 'nope.py'))


def test_a_config_files_own_check_is_a_config_error_naming_the_given_file(tmp_path):
    (tmp_path / '_base_').mkdir()
    (tmp_path / '_base_' / 'knob.py').write_text(
        "layout = 'a'\n"
        "if layout not in ('a', 'b'):\n"
        "    raise ValueError(f'layout must be a or b, got {layout!r}')\n")
    (tmp_path / 'leaf.py').write_text("_base_ = ['./_base_/knob.py']\n")
    assert load_config(str(tmp_path / 'leaf.py')).layout == 'a'
    for options in ({'layout': 'c'}, None):
        if options is None:  # the same check without an override (no temporary copy)
            (tmp_path / '_base_' / 'knob.py').write_text(
                "raise ValueError('layout must be a or b')\n")
        with pytest.raises(ConfigError) as info:
            load_config(str(tmp_path / 'leaf.py'), options)
        message = str(info.value)
        assert message.startswith(f"config {tmp_path / 'leaf.py'}: layout must be a or b")
        assert 'vidreg_cfg_' not in message  # no temporary path


@pytest.fixture
def typed_config(tmp_path):
    (tmp_path / 'typed.py').write_text(
        "num_classes = 4\n"
        "max_epochs = 100\n"
        "model = dict(type='Recognizer', backbone=dict(type='ResNet2D', depth=18),\n"
        "             temporal=dict(type='TemporalAverage'),\n"
        "             head=dict(type='ClsHead', num_classes=num_classes))\n"
        "train_dataloader = dict(batch_size=2)\n")
    return str(tmp_path / 'typed.py')


@pytest.mark.parametrize('key, suggestion', [('num_clases', 'num_classes'),
                                             ('max_epoch', 'max_epochs'),
                                             ('modle.head.dropout', 'model'),
                                             ('model.haed.dropout', 'head'),
                                             ('model.head.dropuot', 'dropout')])
def test_misspelt_options_are_errors_with_close_matches(typed_config, key, suggestion):
    with pytest.raises(ConfigError, match=rf"{key}=.*Did you mean '{suggestion}'") as info:
        load_config(typed_config, {key: 1})
    assert '\n' not in str(info.value)


@pytest.mark.parametrize('key', ['model.head.dropout', 'train_dataloader.pin_memory',
                                 'work_dir', 'partial_load', 'model.backbone.depth'])
def test_real_new_arguments_and_runner_keys_are_accepted(typed_config, key):
    assert load_config(typed_config, {key: 0.5}) is not None
