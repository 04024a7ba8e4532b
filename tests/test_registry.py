import importlib

import pytest
from mmengine.config import Config

from vidreg.registry import ALL_REGISTRIES, MODELS
from vidreg.utils import register_all_modules
from vidreg.utils.registry_check import UnknownTypeError, check_config_types


@pytest.mark.parametrize('name', sorted(ALL_REGISTRIES))
def test_every_registry_is_scoped_and_its_locations_import(name):
    registry = ALL_REGISTRIES[name]
    assert registry.scope == 'vidreg'
    assert registry._locations, f"{name} has no locations"
    for location in registry._locations:  # mmengine keeps them private
        importlib.import_module(location)


def test_recognizer_and_heads_are_registered():
    register_all_modules()
    for name in ('Recognizer', 'ClsHead', 'RegHead', 'VideoDataPreprocessor', 'CrossEntropyLoss',
                 'MSELoss', 'L1Loss', 'SmoothL1Loss'):
        assert MODELS.get(name) is not None, name


def test_duplicate_registration_fails():
    with pytest.raises(KeyError, match='ClsHead'):
        @MODELS.register_module(name='ClsHead')
        class Clash:  # noqa: F841
            pass


def test_unknown_type_names_close_matches(tmp_path):
    register_all_modules()
    path = tmp_path / 'my_config.py'
    path.write_text("model = dict(type='Recognizer', head=dict(type='ClsHaed'))\n")
    cfg = Config.fromfile(str(path))
    with pytest.raises(UnknownTypeError) as info:
        check_config_types(cfg)
    message = str(info.value)
    assert "'ClsHaed'" in message and 'model.head' in message and 'ClsHead' in message
    assert 'my_config.py' in message


def test_known_types_from_mmengine_pass():
    register_all_modules()
    cfg = Config(dict(optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='SGD')),
                      hooks=[dict(type='CheckpointHook')], sampler=dict(type='DefaultSampler')))
    check_config_types(cfg)
