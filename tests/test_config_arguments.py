"""Arguments of dataloaders, datasets, samplers and hooks are checked before anything is built:
in a config file and through --cfg-options, with the close matches."""
import os.path as osp

import pytest

from vidreg.config import ConfigError, load_config
from vidreg.config_arguments import ArgumentsError, check_component_arguments
from vidreg.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')

register_all_modules()


@pytest.mark.parametrize('key, component, suggestion', [
    ('train_dataloader.batch_szie', 'DataLoader', 'batch_size'),
    ('val_dataloader.num_worker', 'DataLoader', 'num_workers'),
    ('default_hooks.checkpoint.intervl', 'CheckpointAfterValHook', 'interval'),
    ('default_hooks.logger.intreval', 'LoggerHook', 'interval'),
    ('train_dataloader.sampler.shufle', 'SeededSampler', 'shuffle'),
])
def test_a_misspelt_option_names_the_component_and_the_close_match(key, component, suggestion):
    with pytest.raises(ConfigError) as info:
        load_config(DEMO, {key: 2})
    message = str(info.value)
    assert f"{component} takes no argument '{key.rsplit('.', 1)[-1]}'" in message, message
    assert f"Did you mean '{suggestion}'" in message and '\n' not in message


@pytest.mark.parametrize('key', ['train_dataloader.pin_memory', 'train_dataloader.drop_last',
                                 'default_hooks.checkpoint.save_begin',
                                 'train_dataloader.num_batch_per_epoch'])
def test_real_arguments_are_taken(key):
    cfg = load_config(DEMO, {key: 1})
    check_component_arguments(cfg)


def _config(tmp_path, body: str) -> str:
    path = tmp_path / 'mine.py'
    path.write_text(f'_base_ = [{DEMO!r}]\n{body}')
    return str(path)


@pytest.mark.parametrize('body, where', [
    ('default_hooks = dict(checkpoint=dict(intervl=2))\n', 'default_hooks.checkpoint.intervl'),
    ("custom_hooks = [dict(type='RichProgressHook', refresh=2)]\n", 'custom_hooks[0].refresh'),
    ('train_dataloader = dict(batch_szie=2)\n', 'train_dataloader.batch_szie'),
    ('val_dataloader = dict(dataset=dict(vidoes_per_class=(1, 1, 1)))\n',
     'val_dataloader.dataset.vidoes_per_class'),
])
def test_a_misspelt_argument_in_a_config_file_is_found_before_building(tmp_path, body, where):
    cfg = load_config(_config(tmp_path, body))
    with pytest.raises(ArgumentsError) as info:
        check_component_arguments(cfg)
    message = str(info.value)
    assert message.startswith(f'{tmp_path / "mine.py"}: {where}: ') and '\n' not in message
    assert 'takes no argument' in message


def test_a_hooks_priority_is_no_argument_of_it(tmp_path):
    cfg = load_config(_config(tmp_path, "custom_hooks = [dict(type='RichProgressHook', "
                                        "priority='LOW')]\n"))
    check_component_arguments(cfg)
