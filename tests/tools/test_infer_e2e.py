"""test.py --dump == infer.py (checkpoint alone) == exported .onnx run without torch."""
import csv
import os
import os.path as osp
import re
import subprocess
import sys

import pytest

from vidreg.apis import export_checkpoint
from vidreg.deployment import infer_files
from vidreg.testing.block_torch import torch_blocking_env
from vidreg.testing.tiny_checkpoint import TINY_CLASSES, write_tiny_checkpoint
from vidreg.utils import load_checkpoint_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
pytestmark = pytest.mark.slow


def run_tool(*args, env=None):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', 'COLUMNS': '200',
                                 **(env or {})}, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def read_scores(path, prefix=''):
    with open(path) as f:
        return {osp.basename(row['path']): [float(row[prefix + n]) for n in TINY_CLASSES]
                for row in csv.DictReader(f)}


def dump_test_set(root, **tiny):
    """A checkpoint saved as the Runner saves it, and tools/test.py's dump of its test set."""
    checkpoint = write_tiny_checkpoint(root / 'tiny.pth', data_root=str(root / 'data'), **tiny)
    config = root / 'tiny_config.py'  # the config stored in the checkpoint, as a file
    config.write_text(load_checkpoint_file(checkpoint)['meta']['cfg'])
    dump = str(root / 'dump.csv')
    run_tool('tools/test.py', str(config), checkpoint, '--dump', dump, '--work-dir',
             str(root / 'test'))
    return root, checkpoint, dump


@pytest.fixture(scope='module')
def tested(tmp_path_factory):
    return dump_test_set(tmp_path_factory.mktemp('infer'))


@pytest.fixture(scope='module')
def tested_two_stream(tmp_path_factory):
    """The tiny two-stream (RGB + SG3I) model: dict inputs through the same tools."""
    return dump_test_set(tmp_path_factory.mktemp('infer2'), two_stream='sg3i')


def test_infer_from_the_checkpoint_alone_equals_test_dump(tested, capsys):
    root, checkpoint, dump = tested
    out = str(root / 'pred')
    code = infer_files(checkpoint, [str(root / 'data' / 'test.csv'), str(root / 'missing.mp4')],
                       out=out)
    assert code == 1  # the bad input is reported at the end, the others predicted
    assert 'missing.mp4' in capsys.readouterr().out
    expected, got = read_scores(dump, 'score_'), read_scores(out + '.csv')
    assert len(expected) == 2 * len(TINY_CLASSES) and set(got) == set(expected)
    for video, scores in expected.items():
        assert got[video] == pytest.approx(scores, abs=2e-6), video


def test_exported_onnx_predicts_without_torch(tested, tmp_path, capsys):
    root, checkpoint, dump = tested
    model = str(tmp_path / 'model.onnx')
    export_checkpoint(checkpoint, model, exporter='legacy', dynamic_batch=True)
    assert re.search(r'max abs diff onnxruntime\s+vs PyTorch: T=4: \S+, T=8',
                     capsys.readouterr().out)
    out = str(tmp_path / 'ort')
    run_tool('tools/infer.py', model, '--backend', 'onnxruntime',
             str(root / 'data' / 'videos' / 'test'), '--out', out,
             env=torch_blocking_env(tmp_path))
    expected, got = read_scores(dump, 'score_'), read_scores(out + '.csv')
    assert set(got) == set(expected)
    for video, scores in expected.items():
        assert got[video] == pytest.approx(scores, abs=1e-4), video


def test_windows_write_rows_a_plot_and_an_annotated_gif(tested, tmp_path):
    root, checkpoint, _ = tested
    video = str(root / 'data' / 'videos' / 'test' / 'grow' / 'grow_0000.avi')
    out = str(tmp_path / 'win')
    assert infer_files(checkpoint, [video], window=0.3, stride=0.2, out=out,
                       out_video=str(tmp_path / 'grow.gif')) == 0
    with open(out + '.csv') as f:
        starts = [float(row['start']) for row in csv.DictReader(f)]
    assert len(starts) >= 2 and starts[0] == 0.0 and starts == sorted(starts)
    assert os.path.getsize(out + '_grow_0000_windows.png') > 1000
    assert os.path.getsize(tmp_path / 'grow.gif') > 1000


def test_readme_snippet_runs(tested):
    root, checkpoint, _ = tested
    with open(osp.join(REPO, 'README.md')) as f:
        readme = f.read()
    snippet = re.search(r'<!-- inference snippet -->\n```python\n(.*?)```', readme, re.S).group(1)
    video = str(root / 'data' / 'videos' / 'test' / 'darken' / 'darken_0000.avi')
    snippet = re.sub(r"checkpoint = '.*'", f'checkpoint = {checkpoint!r}', snippet)
    snippet = re.sub(r"video = '.*'", f'video = {video!r}', snippet)
    namespace = {}
    exec(compile(snippet, 'README.md', 'exec'), namespace)
    assert namespace['sample'].classes == TINY_CLASSES


def test_two_stream_infer_equals_test_dump_and_slides_windows(tested_two_stream, tmp_path):
    root, checkpoint, dump = tested_two_stream
    out = str(tmp_path / 'pred')
    assert infer_files(checkpoint, [str(root / 'data' / 'test.csv')], out=out) == 0
    expected, got = read_scores(dump, 'score_'), read_scores(out + '.csv')
    assert len(expected) == 2 * len(TINY_CLASSES) and set(got) == set(expected)
    for video, scores in expected.items():
        assert got[video] == pytest.approx(scores, abs=2e-6), video
    video = str(root / 'data' / 'videos' / 'test' / 'grow' / 'grow_0000.avi')
    assert infer_files(checkpoint, [video], window=0.8, stride=0.4, out=out + '_win') == 0
    with open(out + '_win.csv') as f:
        starts = [float(row['start']) for row in csv.DictReader(f)]
    assert len(starts) >= 2 and starts[0] == 0.0 and starts == sorted(starts)


def test_two_stream_onnx_predicts_without_torch(tested_two_stream, tmp_path, capsys):
    """One uint8 graph input per modality; SG3I computed in NumPy: the dump's scores."""
    root, checkpoint, dump = tested_two_stream
    model = str(tmp_path / 'model.onnx')
    export_checkpoint(checkpoint, model, exporter='legacy')
    out = ' '.join(capsys.readouterr().out.split())  # rich wraps lines
    assert re.search(r'T=3: \S+, T=6: \S+ \(uint8 inputs: imgs \(1, 2, 3, 3, 32, 32\), sg3i '
                     r'\(1, 2, 1, 3, 32, 32\)', out), out
    assert 'note:' not in out  # the NumPy pipeline runs every step
    run_tool('tools/infer.py', model, '--backend', 'onnxruntime',
             str(root / 'data' / 'videos' / 'test'), '--out', str(tmp_path / 'ort'),
             env=torch_blocking_env(tmp_path))
    expected, got = read_scores(dump, 'score_'), read_scores(str(tmp_path / 'ort.csv'))
    assert set(got) == set(expected)
    for video, scores in expected.items():
        assert got[video] == pytest.approx(scores, abs=1e-4), video
