import logging

import pytest
import torch
from torch import nn
from torchvision.models import ResNet18_Weights

from vidreg.config import ConfigError
from vidreg.utils.checkpoint import CheckpointError
from vidreg.utils.pretrained import load_pretrained, resolve_pretrained


def _net(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))


@pytest.fixture
def source(tmp_path):
    net = _net(seed=1)
    with torch.no_grad():
        net[1].running_mean.fill_(0.5)
    return net


def _save(obj, path):
    torch.save(obj, path)
    return str(path)


def _assert_same(module, source):
    for (name, value), expected in zip(module.state_dict().items(), source.state_dict().values()):
        torch.testing.assert_close(value, expected, msg=name)


@pytest.mark.parametrize('wrap', [None, 'state_dict', 'model'])
def test_loads_plain_and_wrapped_state_dicts(tmp_path, source, wrap):
    state = source.state_dict()
    path = _save(state if wrap is None else {wrap: state, 'meta': {'epoch': 3}},
                 tmp_path / 'ckpt.pth')
    module = _net()
    result = load_pretrained(module, path, strict=True)
    assert result.missing_keys == [] and result.unexpected_keys == []
    _assert_same(module, source)


def test_prefix_selects_and_strips_keys(tmp_path, source):
    state = {f'backbone.{k}': v for k, v in source.state_dict().items()}
    state['head.fc.weight'] = torch.zeros(2, 2)
    path = _save({'state_dict': state}, tmp_path / 'recognizer.pth')
    module = _net()
    load_pretrained(module, path, prefix='backbone.', strict=True)
    _assert_same(module, source)
    with pytest.raises(KeyError, match='neck.'):
        load_pretrained(_net(), path, prefix='neck.')


def test_ddp_module_prefix_is_stripped(tmp_path, source):
    path = _save({f'module.{k}': v for k, v in source.state_dict().items()}, tmp_path / 'ddp.pth')
    module = _net()
    load_pretrained(module, path, strict=True)
    _assert_same(module, source)


def test_missing_and_unexpected_keys_are_reported(tmp_path, source, caplog):
    state = dict(source.state_dict())
    del state['0.bias']
    state['extra.weight'] = torch.zeros(1)
    path = _save(state, tmp_path / 'partial.pth')
    logger = logging.getLogger('test_pretrained')
    module = _net()
    with caplog.at_level(logging.INFO, logger='test_pretrained'):
        result = load_pretrained(module, path, logger=logger)
    assert result.missing_keys == ['0.bias'] and result.unexpected_keys == ['extra.weight']
    record = caplog.records[-1]
    assert record.levelno == logging.WARNING
    assert '0.bias' in record.message and 'extra.weight' in record.message
    assert 'partial.pth' in record.message
    torch.testing.assert_close(module[0].weight, source[0].weight)


def test_strict_raises_before_changing_the_module(tmp_path, source):
    state = dict(source.state_dict())
    del state['0.bias']
    path = _save(state, tmp_path / 'partial.pth')
    module = _net()
    before = module[0].weight.clone()
    with pytest.raises(ValueError, match='0.bias'):
        load_pretrained(module, path, strict=True)
    torch.testing.assert_close(module[0].weight, before)


def test_shape_mismatch_is_an_error(tmp_path):
    path = _save(nn.Sequential(nn.Linear(3, 5)).state_dict(), tmp_path / 'wide.pth')
    # a user error (tools print one line): says what fits instead
    with pytest.raises(ConfigError, match=r'0.weight: checkpoint \(5, 3\) vs model \(4, 3\).*None'):
        load_pretrained(_net(), path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='no_such.pth'):
        load_pretrained(_net(), str(tmp_path / 'no_such.pth'))
    with pytest.raises(FileNotFoundError, match='not a file'):
        load_pretrained(_net(), str(tmp_path))


def test_non_checkpoint_files_are_named(tmp_path):
    text = tmp_path / 'notes.txt'
    text.write_text('not a checkpoint')
    with pytest.raises(CheckpointError, match='notes.txt'):
        load_pretrained(_net(), str(text))
    no_tensors = _save({'epoch': 3, 'meta': {}}, tmp_path / 'meta_only.pth')
    with pytest.raises(CheckpointError, match='meta_only.pth'):
        load_pretrained(_net(), no_tensors)


@pytest.fixture
def hub_checkpoints(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    return tmp_path / 'torch_home' / 'hub' / 'checkpoints'


def test_weights_names_resolve_to_the_hub_cache_file(hub_checkpoints, source):
    expected = hub_checkpoints / 'resnet18-f37072fd.pth'
    with pytest.raises(FileNotFoundError) as error:
        resolve_pretrained('ResNet18_Weights.IMAGENET1K_V1')
    assert str(expected) in str(error.value)
    assert 'https://download.pytorch.org/models/resnet18-f37072fd.pth' in str(error.value)
    hub_checkpoints.mkdir(parents=True)
    _save(source.state_dict(), expected)
    assert resolve_pretrained('ResNet18_Weights.IMAGENET1K_V1') == expected
    assert resolve_pretrained('DEFAULT', weights_enum=ResNet18_Weights) == expected
    module = _net()
    load_pretrained(module, 'IMAGENET1K_V1', weights_enum=ResNet18_Weights)
    _assert_same(module, source)


def test_bad_weights_names(hub_checkpoints):
    with pytest.raises(ConfigError, match='ambiguous'):
        resolve_pretrained('IMAGENET1K_V1')
    with pytest.raises(ConfigError, match='no member'):
        resolve_pretrained('IMAGENET9K', weights_enum=ResNet18_Weights)
    with pytest.raises(ConfigError, match='Unknown'):
        resolve_pretrained('Foo_Weights.IMAGENET1K_V1')
    with pytest.raises(ConfigError, match='do not fit'):
        resolve_pretrained('ResNet50_Weights.DEFAULT', weights_enum=ResNet18_Weights)


def test_existing_file_wins_over_a_weights_name(tmp_path, monkeypatch, source):
    monkeypatch.chdir(tmp_path)
    _save(source.state_dict(), tmp_path / 'DEFAULT')
    assert resolve_pretrained('DEFAULT', weights_enum=ResNet18_Weights).name == 'DEFAULT'


def test_mmengine_runner_checkpoint_loads_weights_only(tmp_path, source):
    import numpy as np
    from mmengine.logging import HistoryBuffer

    buffer = HistoryBuffer()
    buffer.update(0.5)
    checkpoint = dict(
        meta=dict(epoch=2, seed=np.int64(0), arr=np.arange(3.0)),
        state_dict={f'backbone.{k}': v for k, v in source.state_dict().items()},
        message_hub=dict(log_scalars={'train/loss': buffer}))
    module = _net()
    load_pretrained(module, _save(checkpoint, tmp_path / 'epoch_2.pth'), prefix='backbone.',
                    strict=True)
    _assert_same(module, source)
