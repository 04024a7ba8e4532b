"""benchmarks/benchmark_view_chunks.py: one fresh process per case, a Markdown row per case."""
import re

import pytest

from vidreg.testing.run_tool import run_tool


@pytest.mark.slow  # two fresh processes import torch and build the model (~10 s)
def test_each_chunk_size_gets_a_row_with_peak_memory_and_speed():
    result = run_tool('benchmarks/benchmark_view_chunks.py', 'configs/demo/r2plus1d18_synthetic.py',
                      '--chunks', 4, 1, '--views', 4, '--frames', 4, '--size', 32)
    rows = [line for line in result.stdout.splitlines() if re.match(r'\| \d', line)]
    assert [row.split(' | ')[0] for row in rows] == ['| 4', '| 1']
    for row in rows:
        peak, before, speed = map(float, re.findall(r'\d+(?:\.\d+)?', row.split(' | ', 1)[1]))
        assert peak >= before > 0 and speed > 0
