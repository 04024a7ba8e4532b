"""tools/train.py and tools/test.py stop on a bad checkpoint with one `error:` line, exit code 2."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from vidreg.config import load_config
from vidreg.models import build_model
from vidreg.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')
pytestmark = pytest.mark.slow


def tiny_options(data_root):
    return [f'data_root={data_root}', 'videos_per_class=(2,2,2)', 'num_frames=4', 'img_size=32',
            'batch_size=2', 'num_workers=0', 'max_epochs=1', 'tensorboard=False']


def run_failing(*args, env=None):
    """Run a tool that must stop with a user error: exit code 2, one `error:` line, no traceback."""
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})},
                            timeout=300)
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]
    assert 'Traceback' not in result.stderr, result.stderr[-3000:]
    return result.stderr[result.stderr.index('error:'):]


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp('synthetic'))


class CreatesMarker:
    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (exec, (f'open({self.path!r}, "w").close()',))


def test_crafted_checkpoint_is_refused_despite_the_environment_override(tmp_path, data_root):
    # load_from is read by mmengine's Runner (plain --resume: tests/utils/test_checkpoint.py).
    marker = tmp_path / 'pwned'
    evil = tmp_path / 'epoch_1.pth'
    torch.save({'state_dict': {}, 'meta': CreatesMarker(marker)}, evil)
    error = run_failing('tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'work'),
                        '--cfg-options', *tiny_options(data_root), f'load_from={evil}',
                        env={'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD': '1'})
    assert 'epoch_1.pth' in error and 'refused' in error and 'weights_only' not in error
    assert not marker.exists()


def test_resume_with_nothing_to_resume_says_so(tmp_path, data_root):
    error = run_failing('tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'new'), '--resume',
                        '--cfg-options', *tiny_options(data_root))
    assert 'nothing to resume' in error and 'new' in error


def save_model_checkpoint(path, options=None, classes=None):
    """A checkpoint of the demo model built with ``options`` (no training needed)."""
    register_all_modules()
    cfg = load_config(CONFIG, options)
    model = build_model(cfg)
    meta = dict(dataset_meta=dict(classes=classes)) if classes else {}
    torch.save({'state_dict': model.state_dict(), 'meta': meta}, path)
    return str(path)


def test_test_tool_refuses_weights_of_another_architecture(tmp_path, data_root):
    checkpoint = save_model_checkpoint(tmp_path / 'other.pth',
                                       {'model.temporal.hidden_channels': 32})
    error = run_failing('tools/test.py', CONFIG, checkpoint, '--work-dir', str(tmp_path / 'w'),
                        '--cfg-options', *tiny_options(data_root))
    assert 'other.pth' in error and 'temporal.' in error and 'partial_load' in error


def test_test_tool_class_count_mismatch_is_one_line(tmp_path, data_root):
    checkpoint = save_model_checkpoint(tmp_path / 'four.pth', classes=['a', 'b', 'c', 'd'])
    error = run_failing('tools/test.py', CONFIG, checkpoint, '--work-dir', str(tmp_path / 'w'),
                        '--cfg-options', *tiny_options(data_root))
    assert 'trained on 4 classes' in error
