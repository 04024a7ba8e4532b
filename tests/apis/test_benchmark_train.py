"""tools/benchmark_train.py: both loops train the same model, and the report ends with the ratio."""
import os.path as osp
import re

import benchmark_train

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'r2plus1d18_synthetic.py')
TINY = ['--batch-size', '2', '--num-frames', '4', '--img-size', '32', '--warmup', '0',
        '--cfg-options', 'model.backbone.base_channels=4']


def test_reports_rates_flops_and_overhead(capsys):
    benchmark_train.main([CONFIG, *TINY, '--steps', '2'])
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r'overhead: \d+\.\d{3}', lines[-1])
    flops = re.search(r'FLOPs per step \(forward \+ backward\): ([\d.]+) G; forward per clip: '
                      r'([\d.e+-]+) G multiply-adds', '\n'.join(lines))
    assert flops and float(flops.group(1)) > 0
    assert any(line.startswith('framework:') and 'clips/s' in line for line in lines)
    assert any(line.startswith('bare') and 'clips/s' in line for line in lines)


def test_amp_and_channels_last_run(capsys):
    benchmark_train.main([CONFIG, *TINY, '--steps', '1', '--amp', '--channels-last'])
    assert 'amp: True  channels_last: True' in capsys.readouterr().out
