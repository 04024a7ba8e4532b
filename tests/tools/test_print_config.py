"""tools/print_config.py prints the config vidreg runs, not what plain mmengine reads."""
import pytest
from mmengine.config import Config

from vidreg.testing.run_tool import call_tool, run_tool

pytestmark = pytest.mark.slow  # each imports torch in a process of its own


def test_prints_the_resolved_config_with_its_options(tmp_path):
    out = run_tool('tools/print_config.py', 'configs/demo/restcn_synthetic.py', '--cfg-options',
                   'num_frames=4', 'model.head.dropout=0.5').stdout
    first = out.splitlines()[0]
    assert first.startswith('# Resolved config of ') and first.endswith('restcn_synthetic.py')
    printed = tmp_path / 'printed.py'
    printed.write_text(out)
    cfg = Config.fromfile(str(printed))
    assert cfg.train_dataloader.dataset.pipeline[1].num_frames == 4
    assert cfg.model.head.dropout == 0.5


def test_an_unknown_config_is_a_user_error():
    result = call_tool('tools/print_config.py', 'configs/nope.py', expect=2)
    assert result.stderr.startswith('error: ') and 'nope.py' in result.stderr
