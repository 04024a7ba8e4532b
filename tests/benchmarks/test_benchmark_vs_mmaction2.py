"""benchmarks/benchmark_vs_mmaction2.py: MMAction2's side of the comparison, and its error without
it."""
import importlib.util
import os

import pytest

from benchmarks import benchmark_vs_mmaction2 as tool
from vidreg.testing.run_tool import run_tool
from vidreg.testing.shared_data import shared_data_dir


def test_mmaction2_pipelines_are_its_16x4_configs():
    train = [step['type'] for step in tool.mmaction2_steps('decord', 'train')]
    assert train == ['DecordInit', 'SampleFrames', 'DecordDecode', 'Resize', 'RandomResizedCrop',
                     'Resize', 'Flip', 'FormatShape', 'PackActionInputs']
    test = tool.mmaction2_steps('rawframes', 'test')
    assert test[0] == dict(type='SampleFrames', clip_len=16, frame_interval=4, num_clips=10,
                           test_mode=True)
    assert [step['type'] for step in test[1:]] == ['RawFrameDecode', 'Resize', 'ThreeCrop',
                                                   'FormatShape', 'PackActionInputs']


def test_frame_folder_sample_reads_the_name_template(tmp_path):
    for i in range(3, 8):
        (tmp_path / f'img_{i:05d}.jpg').write_bytes(b'')
    sample = tool.mmaction2_sample(str(tmp_path), 'rawframes')
    assert sample['filename_tmpl'].format(3) == 'img_00003.jpg'
    assert (sample['start_index'], sample['total_frames']) == (3, 5)


@pytest.mark.skipif(importlib.util.find_spec('mmaction') is not None,
                    reason='MMAction2 is installed here')
def test_without_mmaction2_it_says_how_to_get_it():
    run = run_tool('benchmarks/benchmark_vs_mmaction2.py', 'configs/bench_clip16x4.py',
                   '--videos', os.path.join(shared_data_dir(), 'mmaction2', 'test.avi'),
                   expect=2, timeout=120)
    assert 'MMAction2 cannot be imported' in run.stderr + run.stdout
