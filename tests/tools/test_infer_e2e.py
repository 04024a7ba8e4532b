"""train -> test.py --dump == infer.py (checkpoint alone) == exported .onnx run without torch."""
import csv
import os
import os.path as osp
import re
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'demo', 'restcn_synthetic.py')
pytestmark = pytest.mark.slow
BLOCK_TORCH = '''import sys
class _BlockTorch:
    def find_spec(self, name, path=None, target=None):
        if name == 'torch' or name.startswith('torch.'):
            raise ImportError('torch is blocked in this test')
sys.meta_path.insert(0, _BlockTorch())
'''


def run_tool(*args, env=None, check=True):
    result = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1', 'COLUMNS': '200',
                                 **(env or {})}, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def read_scores(path, names):
    with open(path) as f:
        return {osp.basename(row['path']): [float(row[n]) for n in names]
                for row in csv.DictReader(f)}


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp('infer')
    options = [f'data_root={root / "data"}', 'videos_per_class=(2,1,1)', 'num_frames=4',
               'img_size=32', 'batch_size=6', 'num_workers=0', 'max_epochs=1',
               'tensorboard=False']
    run_tool('tools/train.py', CONFIG, '--work-dir', str(root / 'work'), '--cfg-options',
             *options)
    checkpoint = str(root / 'work' / 'epoch_1.pth')
    dump = str(root / 'dump.csv')
    run_tool('tools/test.py', CONFIG, checkpoint, '--dump', dump, '--work-dir',
             str(root / 'test'), '--cfg-options', *options)
    return root, checkpoint, dump


NAMES = ['grow', 'shrink', 'brighten', 'darken', 'rotate_cw', 'rotate_ccw']


def test_infer_from_the_checkpoint_alone_equals_test_dump(trained):
    root, checkpoint, dump = trained
    out = str(root / 'pred')
    result = run_tool('tools/infer.py', checkpoint, str(root / 'data' / 'test.csv'),
                      str(root / 'missing.mp4'), '--out', out, check=False)
    assert result.returncode == 1  # the bad input is reported, the others predicted
    assert 'missing.mp4' in result.stdout and 'does not exist' in result.stdout
    expected, got = read_scores(dump, ['score_' + n for n in NAMES]), read_scores(
        out + '.csv', NAMES)
    assert len(expected) == 6 and set(got) == set(expected)
    for video, scores in expected.items():
        assert got[video] == pytest.approx(scores, abs=2e-6), video


def test_exported_onnx_predicts_without_torch(trained, tmp_path):
    root, checkpoint, _ = trained
    model = str(tmp_path / 'model.onnx')
    result = run_tool('tools/export.py', checkpoint, '--format', 'onnx', '--out', model,
                      '--exporter', 'legacy', '--dynamic-batch')
    assert re.search(r'max abs diff onnxruntime vs PyTorch: T=4: \S+, T=8', result.stdout)
    (tmp_path / 'sitecustomize.py').write_text(BLOCK_TORCH)
    out = str(tmp_path / 'ort')
    run_tool('tools/infer.py', model, '--backend', 'onnxruntime',
             str(root / 'data' / 'videos' / 'test'), '--out', out,
             env=dict(PYTHONPATH=str(tmp_path)))
    run_tool('tools/infer.py', checkpoint, str(root / 'data' / 'videos' / 'test'), '--out',
             str(tmp_path / 'pt'))
    expected, got = read_scores(str(tmp_path / 'pt.csv'), NAMES), read_scores(out + '.csv',
                                                                                 NAMES)
    assert len(got) == 6 and set(got) == set(expected)
    for video, scores in expected.items():
        assert got[video] == pytest.approx(scores, abs=1e-4), video


def test_windows_write_rows_a_plot_and_an_annotated_gif(trained, tmp_path):
    root, checkpoint, _ = trained
    video = str(root / 'data' / 'videos' / 'test' / 'grow' / 'grow_0000.avi')
    out = str(tmp_path / 'win')
    run_tool('tools/infer.py', checkpoint, video, '--window', '0.4', '--stride', '0.2', '--out',
             out, '--out-video', str(tmp_path / 'grow.gif'))
    with open(out + '.csv') as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 2 and float(rows[0]['start']) == 0.0
    assert [float(r['start']) for r in rows] == sorted(float(r['start']) for r in rows)
    assert os.path.getsize(out + '_grow_0000_windows.png') > 1000
    assert os.path.getsize(tmp_path / 'grow.gif') > 1000


def test_readme_snippet_runs(trained):
    _, checkpoint, _ = trained
    with open(osp.join(REPO, 'README.md')) as f:
        readme = f.read()
    snippet = re.search(r'<!-- inference snippet -->\n```python\n(.*?)```', readme, re.S).group(1)
    video = osp.join(osp.dirname(checkpoint), '..', 'data', 'videos', 'test', 'darken',
                     'darken_0000.avi')
    snippet = re.sub(r"checkpoint = '.*'", f'checkpoint = {checkpoint!r}', snippet)
    snippet = re.sub(r"video = '.*'", f'video = {video!r}', snippet)
    namespace = {}
    exec(compile(snippet, 'README.md', 'exec'), namespace)
    assert namespace['sample'].classes == tuple(NAMES)
