import os.path as osp

import pytest
from mmengine.config import DictAction

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


def test_an_entry_of_a_dict_knob_reaches_every_use(config_tree):
    (config_tree / 'weights.py').write_text(
        "_base_ = ['./_base_/data.py']\n"
        "fusion_weights = {'rgb': 1.0, 'flow': 1.5}\n"
        "model = dict(head=dict(weights=fusion_weights))\n")
    cfg = load_config(str(config_tree / 'weights.py'), {'fusion_weights.flow': 2.0})
    assert cfg.model.head.weights == {'rgb': 1.0, 'flow': 2.0} == cfg.fusion_weights


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


REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')


def test_absolute_base_paths_get_knobs_and_options_like_relative_ones(tmp_path):
    """A user config outside the repo naming the repo's fragments by absolute path."""
    fragments = osp.join(REPO, 'configs', '_base_')
    (tmp_path / 'mine.py').write_text(
        f"_base_ = [{osp.join(fragments, 'runtime.py')!r}, "
        f"{osp.join(fragments, 'schedules', 'adam_cosine.py')!r}, "
        f"{osp.join(fragments, 'datasets', 'synthetic.py')!r}]\n"
        f"data_root = {str(tmp_path / 'data')!r}\n"
        "model = dict(type='Recognizer')\n")
    cfg = load_config(str(tmp_path / 'mine.py'), {'num_frames': 4, 'lr': 0.5})
    for loader in (cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader):
        assert loader.dataset.data_root == str(tmp_path / 'data')  # the leaf's knob
        assert loader.dataset.pipeline[1].num_frames == 4  # the command line's
    assert cfg.optim_wrapper.optimizer.lr == 0.5


@pytest.mark.parametrize('option, expects', [
    ('lr=0.0.1', "lr expects a number > 0; got the text '0.0.1'"),
    ('max_epochs=ten', "max_epochs expects an integer >= 1; got the text 'ten'"),
    ('batch_size=-4', 'batch_size expects an integer >= 1; got -4'),
    ('num_frames=0', 'num_frames expects an integer >= 1; got 0'),
    ('img_size=abc', "img_size expects an integer >= 1; got the text 'abc'"),
    ('tensorboard=1', 'tensorboard expects True or False; got 1'),
    ('videos_per_class=(6,3)', 'videos_per_class expects three integers >= 0'),
])
def test_a_bad_knob_value_is_one_line_naming_the_knob_and_what_it_takes(option, expects):
    message = _knob_error(DEMO, option)
    assert message.startswith(f'--cfg-options {option.replace(",", ", ")}: {expects}'), message
    assert '\n' not in message


def test_knob_values_that_fit_are_taken_and_a_number_for_a_text_knob_becomes_text():
    cfg = load_config(DEMO, {'lr': 1, 'num_workers': None, 'data_root': 2024, 'pretrained': None})
    assert cfg.optim_wrapper.optimizer.lr == 1 and cfg.train_dataloader.num_workers is None
    assert cfg.train_dataloader.dataset.data_root == '2024'


def test_a_knob_out_of_range_in_a_config_file_names_the_file(tmp_path):
    (tmp_path / 'mine.py').write_text(f'_base_ = [{DEMO!r}]\nbatch_size = 0\n')
    with pytest.raises(ConfigError, match=r'mine\.py: batch_size expects an integer >= 1; got 0'):
        load_config(str(tmp_path / 'mine.py'))


@pytest.mark.parametrize('name, content, expected', [
    ('settings.yaml', b'model:\n  type: Recognizer\n', 'is not a Python config'),
    ('epoch_1.pth', b'PK\x03\x04 zip of a torch checkpoint', 'is a checkpoint, not a config'),
    ('weights', b'\x80\x02 a pickled checkpoint without suffix', 'is a checkpoint, not a config'),
    ('binary.py', b'\xff\xfe\x00 not text', 'is not a text file'),
])
def test_a_file_that_is_no_config_is_named_with_what_it_is(tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(str(tmp_path / name))
    assert name in str(info.value) and 'configs/' in str(info.value)


def test_a_folder_given_as_the_config_is_named(tmp_path):
    with pytest.raises(ConfigError, match='is a folder, not a config file'):
        load_config(str(tmp_path))


@pytest.mark.parametrize('option, expects', [
    ('layer_decay=0', 'layer_decay expects a number in (0, 1]'),
    ('precision=fp16', "precision expects 'float32', 'bfloat16' or 'float16'"),
    ('auto_augment=randaug', "auto_augment expects 'rand', 'trivial' or 'none'"),
    ('ema_momentum=1', 'ema_momentum expects a number in [0, 1)'),
    ('warmup_epochs=0', 'warmup_epochs expects an integer >= 1'),
])
def test_the_recipe_knobs_have_ranges(option, expects):
    recipe = osp.join(REPO, 'configs', 'demo', 'r3d18_synthetic_recipe.py')
    assert expects in _knob_error(recipe, option)


def _knob_error(config, option):
    """The ConfigError of ``--cfg-options NAME=VALUE`` (parsed as the command line does)."""
    name, value = option.split('=')
    with pytest.raises(ConfigError) as info:
        load_config(config, {name: DictAction._parse_iterable(value)})
    return str(info.value)
