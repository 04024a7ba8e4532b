"""benchmark_train (tools/benchmark_train.py): both loops train the same model, and the report
ends with the ratio."""
import os.path as osp
import re

from vidreg.apis import benchmark_train
from vidreg.plugins import REPO_ROOT

CONFIG = osp.join(REPO_ROOT, 'configs', 'demo', 'r2plus1d18_synthetic.py')
TINY = dict(batch_size=2, num_frames=4, img_size=32, warmup=0,
            cfg_options={'model.backbone.base_channels': 4})


def test_reports_rates_flops_and_overhead(capsys):
    overhead = benchmark_train(CONFIG, steps=2, **TINY)
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r'overhead: \d+\.\d{3}', lines[-1])
    assert lines[-1] == f'overhead: {overhead:.3f}'
    flops = re.search(r'FLOPs per step \(forward \+ backward\): ([\d.]+) G; forward per clip: '
                      r'([\d.e+-]+) G multiply-adds', '\n'.join(lines))
    assert flops and float(flops.group(1)) > 0
    assert any(line.startswith('framework:') and 'clips/s' in line for line in lines)
    assert any(line.startswith('bare') and 'clips/s' in line for line in lines)


def test_amp_and_channels_last_run(capsys):
    benchmark_train(CONFIG, steps=1, amp=True, channels_last=True, **TINY)
    assert 'amp: True  channels_last: True' in capsys.readouterr().out
