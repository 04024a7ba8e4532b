"""evaluate_checkpoint (tools/test.py): arguments in the wrong order say the right one."""
import os.path as osp

import pytest

from vidreg.apis import evaluate_checkpoint
from vidreg.config import ConfigError
from vidreg.plugins import REPO_ROOT
from vidreg.utils import CheckpointError

DEMO = osp.join(REPO_ROOT, 'configs', 'demo', 'restcn_synthetic.py')


def test_swapped_arguments_say_the_order(tmp_path):
    checkpoint = tmp_path / 'epoch_1.pth'
    checkpoint.write_bytes(b'PK\x03\x04')
    with pytest.raises(ConfigError) as error:
        evaluate_checkpoint(str(checkpoint), DEMO)
    assert 'the config comes first: python tools/test.py CONFIG CHECKPOINT' in str(error.value)
    assert f'python tools/test.py {DEMO} {checkpoint}' in str(error.value)


def test_a_missing_checkpoint_is_named_before_the_runner_is_built(tmp_path):
    with pytest.raises(CheckpointError, match='nope.pth'):
        evaluate_checkpoint(DEMO, str(tmp_path / 'nope.pth'), work_dir=str(tmp_path / 'work'),
                            cfg_options={'data_root': str(tmp_path / 'data')})
    assert not (tmp_path / 'work').exists() and not (tmp_path / 'data').exists()
