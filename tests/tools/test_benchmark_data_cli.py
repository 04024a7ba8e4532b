"""tools/benchmark_data.py as a command: two backends of the training pipeline on a real video,
the last line ``clips/s: X``."""
import re

import pytest

from vidreg.testing.run_tool import run_tool
from vidreg.testing.shared_data import shared_data_dir


@pytest.mark.slow
def test_train_pipeline_two_backends():
    run = run_tool('tools/benchmark_data.py', 'configs/bench_clip16x4.py', '--videos',
                   f'{shared_data_dir()}/carphone_pristine.mp4', '--backend', 'pyav', 'opencv',
                   '--num', '2', '--repeat', '2', timeout=120)
    assert 'pyav' in run.stdout and 'opencv' in run.stdout
    assert 'median of 2 interleaved rounds' in ' '.join(run.stdout.split())
    assert re.fullmatch(r'clips/s: \d+\.\d+', run.stdout.strip().splitlines()[-1])
    assert float(run.stdout.strip().splitlines()[-1].split()[-1]) > 0
