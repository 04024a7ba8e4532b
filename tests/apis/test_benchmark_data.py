"""benchmark_data (tools/benchmark_data.py) runs the configured pipeline on real videos and
reports clips/s."""
import os
import re

import pytest
from rich.console import Console

from vidreg.apis import benchmark_data
from vidreg.apis.benchmark_data import with_backend
from vidreg.config import ConfigError
from vidreg.plugins import REPO_ROOT
from vidreg.testing.shared_data import shared_data_dir

DATA = shared_data_dir()
CONFIG = os.path.join(REPO_ROOT, 'configs', 'bench_clip16x4.py')


def clips_per_second(text: str) -> float:
    match = re.search(r'^clips/s: (\d+(?:\.\d+)?)$', text, flags=re.MULTILINE)
    assert match, text
    return float(match.group(1))


def test_test_pipeline_counts_ten_clips_per_video(capsys):
    returned = benchmark_data(CONFIG, split='test', videos=[f'{DATA}/carphone_pristine.mp4'],
                              num=1, warmup=0, clock='cpu')
    out = capsys.readouterr().out
    rate = clips_per_second(out)
    assert returned == pytest.approx(rate, abs=0.01)
    row = next(line for line in out.splitlines() if 'auto' in line)
    clips, ms, videos, views = [float(v) for v in re.findall(r'\d+\.\d+', row)[:4]]
    assert clips == pytest.approx(rate, rel=0.01)
    assert clips == pytest.approx(10 * videos, rel=0.02)  # 10 clips per video
    assert views == pytest.approx(3 * clips, rel=0.02)  # x 3 crops


def test_rounds_report_the_median_round_and_the_range(capsys):
    """repeat=3: three interleaved rounds; the row is the median one, the range spans all."""
    returned = benchmark_data(CONFIG, split='test', videos=[f'{DATA}/carphone_pristine.mp4'],
                              num=1, warmup=0, clock='cpu', repeat=3,
                              console=Console(width=200))  # no column cut, whatever the terminal
    out = capsys.readouterr().out
    assert 'median of 3 interleaved rounds' in ' '.join(out.split())  # the title may wrap
    row = next(line for line in out.splitlines() if 'auto' in line)
    clips, low, high = [float(v) for v in re.findall(r'\d+\.\d+', row)[:3]]
    assert low <= clips <= high
    assert returned == pytest.approx(clips, abs=0.06)  # printed to one decimal
    with pytest.raises(ConfigError, match='repeat must be at least 1'):
        benchmark_data(CONFIG, split='test', videos=[f'{DATA}/carphone_pristine.mp4'], repeat=0)


@pytest.mark.slow
def test_dataloader_mode_counts_every_clip_of_every_batch(capsys):
    benchmark_data(CONFIG, split='test', videos=[f'{DATA}/carphone_pristine.mp4'], num=4,
                   workers=[1, 2], batch_size=2)
    out = capsys.readouterr().out
    assert '1/2 workers, batch 2, wall clock' in ' '.join(out.split())  # the title may wrap
    rows = [line for line in out.splitlines() if 'auto' in line]
    assert len(rows) == 2  # one per worker count
    rates = []
    for row, count in zip(rows, (1, 2)):
        workers, clips, ms, videos, views, speed_up = re.findall(r'\d+(?:\.\d+)?', row)[:6]
        clips, videos, views = float(clips), float(videos), float(views)
        assert int(workers) == count
        assert clips == pytest.approx(10 * videos, rel=0.02)
        assert views == pytest.approx(3 * clips, rel=0.02)  # printed rounded: not exact
        rates.append(clips)
        assert float(speed_up) == pytest.approx(clips / rates[0], abs=0.02)
    assert clips_per_second(out) == pytest.approx(rates[0], rel=0.01)


def test_backend_choice_leaves_a_second_reader_alone():
    """--backend swaps the video's reader, not that of the flow images read beside it."""
    steps = [dict(type='OpenVideo'),
             dict(type='OpenVideo', reader=dict(type='FlowFolderReader'), video_root='v',
                  mirror_root='f', reader_key='flow_reader'),
             dict(type='DecodeFrames')]
    swapped = with_backend(steps, 'opencv')
    assert swapped[0]['reader'] == dict(type='OpenCVReader')
    assert swapped[1] == steps[1]
